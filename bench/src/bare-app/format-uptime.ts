// A copy of apps/health-api/src/health/format-uptime.ts (module boundaries forbid importing an app),
// so that the bare app does exactly the work health-api does per /healthz.
const MS_PER_DAY = 86_400_000;

/** A duration as Python's `str(timedelta)` writes it, to the microsecond: `0:00:53.605913`. */
export function formatUptime(milliseconds: number): string {
  const totalMicros = Math.max(0, Math.round(milliseconds * 1000));
  const days = Math.floor(totalMicros / (MS_PER_DAY * 1000));
  const dayMicros = totalMicros - days * MS_PER_DAY * 1000;
  const seconds = Math.floor(dayMicros / 1_000_000);
  const micros = dayMicros % 1_000_000;
  const clock = [Math.floor(seconds / 3600), pad(Math.floor(seconds / 60) % 60), pad(seconds % 60)].join(':');
  const fraction = micros > 0 ? `.${String(micros).padStart(6, '0')}` : '';
  const dayPart = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ` : '';
  return `${dayPart}${clock}${fraction}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
