/** Number formats shared by the markdown table and the chart. */

export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}
