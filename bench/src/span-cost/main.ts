// Micro-benchmark: nanoseconds per call of a method decorated with the library's @Span(), against the
// same method undecorated, with a real TracerProvider. Prints one JSON line: { cases: SpanCostCase[] }.
import 'reflect-metadata';
import { context } from '@opentelemetry/api';
import { type CallTiming, measureCalls } from './measure-calls';
import type { SpanCostCase, SpanCostSettings } from './span-cost-result';
import { Subject } from './subject';
import { installNoSdk, installSdk, type TracingSetup } from './tracing-setup';

interface CaseDefinition {
  id: string;
  label: string;
  method: 'plain' | 'traced';
  install: () => TracingSetup;
}

const CASES: CaseDefinition[] = [
  { id: 'plain', label: 'plain method, no decorator', method: 'plain', install: installNoSdk },
  { id: 'span-no-sdk', label: '@Span(), no SDK (OTEL_SDK_DISABLED=true)', method: 'traced', install: installNoSdk },
  {
    id: 'span-unsampled',
    label: '@Span(), SDK, parent not sampled (9 requests in 10 at 10% sampling)',
    method: 'traced',
    install: () => installSdk('noop', false),
  },
  {
    id: 'span-sampled-noop-processor',
    label: '@Span(), SDK, sampled, NoopSpanProcessor (OTEL_TRACES_EXPORTER=none)',
    method: 'traced',
    install: () => installSdk('noop', true),
  },
  {
    id: 'span-sampled-batch-export',
    label: '@Span(), SDK, sampled, BatchSpanProcessor → exporter that drops',
    method: 'traced',
    install: () => installSdk('batch-dropping', true),
  },
];

async function runCase(
  definition: CaseDefinition,
  settings: SpanCostSettings,
): Promise<Omit<SpanCostCase, 'overheadNs'>> {
  const setup = definition.install();
  const subject = new Subject();
  const call = definition.method === 'plain' ? () => subject.plain() : () => subject.traced();
  let warmUp: CallTiming;
  let timing: CallTiming;
  try {
    ({ warmUp, timing } = await context.with(setup.parent, async () => ({
      warmUp: await measureCalls(call, Math.max(1, Math.floor(settings.iterations / 4)), 1), // for the JIT
      timing: await measureCalls(call, settings.iterations, settings.samples),
    })));
  } finally {
    await setup.uninstall(); // flushes the batch processor, so the count below is complete
  }
  return {
    id: definition.id,
    label: definition.label,
    nsPerCall: timing.nsPerCall,
    calls: warmUp.calls + timing.calls,
    spansExported: setup.exported() ?? null,
  };
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as SpanCostSettings;
  const measured = [];
  for (const definition of CASES) measured.push(await runCase(definition, settings));
  const plainNs = measured.find((item) => item.id === 'plain')?.nsPerCall ?? Number.NaN;
  const cases: SpanCostCase[] = measured.map((item) => ({ ...item, overheadNs: item.nsPerCall - plainNs }));
  console.log(JSON.stringify({ cases }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
