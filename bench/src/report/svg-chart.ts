import type { BenchResults } from './bench-results';
import { fixed, integer } from './format';

interface Bar {
  label: string;
  value: number;
  text: string;
}

const WIDTH = 760;
const LABEL_WIDTH = 140;
const VALUE_WIDTH = 120;
const ROW_HEIGHT = 26;
const BAR_HEIGHT = 18;
const PANEL_TITLE_HEIGHT = 34;
const PANEL_GAP = 18;

/** A hand-written SVG: req/s (with the ratio to bare) and p99 latency per variant, as horizontal bars. */
export function renderChart(results: BenchResults): string {
  const throughput: Bar[] = results.variants.map((variant) => ({
    label: variant.id,
    value: variant.requestsPerSecond,
    text: `${integer(variant.requestsPerSecond)} (${fixed(variant.ratioToBare, 2)}×${variant.ratioBase === 'bare' ? '' : ` ${variant.ratioBase}`})`,
  }));
  const p99: Bar[] = results.variants.map((variant) => ({
    label: variant.id,
    value: variant.p99Ms,
    text: `${fixed(variant.p99Ms, 2)} ms`,
  }));
  const panelHeight = PANEL_TITLE_HEIGHT + results.variants.length * ROW_HEIGHT;
  const height = 40 + 2 * panelHeight + PANEL_GAP + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="24" font-size="15" font-weight="bold">${escapeXml(`health-api GET /healthz: cost of telemetry (${results.mode} run)`)}</text>`,
    panel(
      'requests per second (median; × bare = median ratio per round) — higher is better',
      throughput,
      40,
      '#3b6fb6',
    ),
    panel('p99 latency, ms (median over rounds) — lower is better', p99, 40 + panelHeight + PANEL_GAP, '#d9822b'),
    `<text x="10" y="${height - 8}" fill="#666">${escapeXml(footnote(results))}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function panel(title: string, bars: Bar[], top: number, color: string): string {
  const max = Math.max(...bars.map((bar) => bar.value), Number.MIN_VALUE);
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20;
  const rows = bars.map((bar, index) => {
    const y = top + PANEL_TITLE_HEIGHT + index * ROW_HEIGHT;
    const width = Math.max(1, (bar.value / max) * barSpace);
    const fill = bar.label === 'bare' ? '#8a8a8a' : color;
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + 13}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${fill}"/>`,
      `<text x="${(LABEL_WIDTH + width + 6).toFixed(1)}" y="${y + 13}">${escapeXml(bar.text)}</text>`,
    ].join('');
  });
  return [`<text x="10" y="${top + 22}" font-weight="bold">${escapeXml(title)}</text>`, ...rows].join('\n');
}

function footnote({ machine, settings }: BenchResults): string {
  return (
    `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, shared machine (load ${fixed(machine.loadAverageAtStart, 2)}); ` +
    `${settings.rounds} rounds × ${settings.runSeconds} s, ${settings.connections} connections`
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
