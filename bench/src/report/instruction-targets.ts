import type { InstructionResult } from '../run-bench/instructions-run';
import type { TargetCheck } from './bench-results';
import { integer } from './format';

/** Full telemetry in health-api over the same app with the SDK disabled, per request, on Node 24. */
const FULL_OVER_DISABLED_MAXIMUM = 120_000;
/** The same overhead against dd-trace's over the bare app, in the same run. */
const SHARE_OF_DD_TRACE = 1 / 4;
/** Our library alone on the bare app, over the bare app. */
const LIB_OVER_BARE_MAXIMUM = 50_000;
const TARGET_NODE_MAJOR = 24;

/** The instruction targets of the issue "measure in instructions", as this run counted them. */
export function checkInstructionTargets(results: InstructionResult[], nodeVersion: string): TargetCheck[] {
  const overhead = (id: string, base: string): number | undefined => {
    const variant = results.find((result) => result.id === id);
    const against = results.find((result) => result.id === base);
    return variant && against ? variant.perRequest.total - against.perRequest.total : undefined;
  };
  const full = overhead('full-protobuf', 'otel-disabled');
  const lib = overhead('lib-on-bare', 'bare');
  const ddTrace = overhead('peer-dd-trace', 'bare');
  const onTargetNode = Number(/^v(\d+)/.exec(nodeVersion)?.[1]) === TARGET_NODE_MAJOR;
  return [
    {
      target: `\`full-protobuf\` − \`otel-disabled\` ≤ ${integer(FULL_OVER_DISABLED_MAXIMUM)} instructions/request (Node ${TARGET_NODE_MAJOR})`,
      measured: full === undefined ? 'not counted' : `${integer(full)}${onTargetNode ? '' : ` on Node ${nodeVersion}`}`,
      met: full === undefined || !onTargetNode ? null : full <= FULL_OVER_DISABLED_MAXIMUM,
    },
    {
      target: '`full-protobuf` − `otel-disabled` ≤ ¼ of `peer-dd-trace` − bare (instructions/request, same run)',
      measured:
        full === undefined || ddTrace === undefined
          ? 'not counted (dd-trace needs bench/peers)'
          : `${integer(full)} against ${integer(ddTrace)}: ${(full / ddTrace).toFixed(2)} of it`,
      met: full === undefined || ddTrace === undefined ? null : full <= SHARE_OF_DD_TRACE * ddTrace,
    },
    {
      target: `\`lib-on-bare\` − bare ≤ ${integer(LIB_OVER_BARE_MAXIMUM)} instructions/request`,
      measured: lib === undefined ? 'not counted' : integer(lib),
      met: lib === undefined ? null : lib <= LIB_OVER_BARE_MAXIMUM,
    },
  ];
}
