import { RULES_DIR, query, renderConfig, startPrometheus } from '../../../tools/prometheus/prometheus.cjs';
import { AppProcess } from './support/app-process';
import { waitFor } from './support/wait-for';

/** One rule as `GET /api/v1/rules` describes it. */
interface Rule {
  name: string;
  type: 'recording' | 'alerting';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  state?: 'inactive' | 'pending' | 'firing';
  alerts?: Array<{ labels: Record<string, string>; state: string }>;
}
interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: Rule[];
}

const JOB = 'health-api';
const BOUND_MS = 30_000;

async function ruleGroups(url: string): Promise<RuleGroup[]> {
  const body = (await (await fetch(`${url}/api/v1/rules`)).json()) as { status: string; data: { groups: RuleGroup[] } };
  if (body.status !== 'success') throw new Error(`/api/v1/rules: ${JSON.stringify(body)}`);
  return body.data.groups;
}

async function rule(url: string, name: string): Promise<Rule> {
  const found = (await ruleGroups(url)).flatMap((group) => group.rules).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
}

/** The one sample of `promql`, or `undefined` while there is none. */
async function single(
  url: string,
  promql: string,
): Promise<{ metric: Record<string, string>; value: number } | undefined> {
  const result = await query(url, promql);
  if (result.length > 1) throw new Error(`${promql}: ${result.length} series`);
  return result[0] && { metric: result[0].metric, value: Number(result[0].value[1]) };
}

// One story, in order: the built app and a real Prometheus (scrape and rule evaluation every second) loading
// tools/prometheus/rules through renderConfig's absolute rule_files.
describe('the Prometheus rules, evaluated by a real Prometheus against the built app', () => {
  let app: AppProcess;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
  let url: string;

  beforeAll(async () => {
    app = await AppProcess.start();
    prometheus = await startPrometheus({ config: renderConfig({ target: await app.target(), scrapeInterval: '1s' }) });
    url = prometheus.url;
  });

  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop();
  });

  it('loads every rule of tools/prometheus/rules, evaluated every second without error', async () => {
    // Loaded before Prometheus reports ready: no waiting for the list itself.
    expect((await ruleGroups(url)).map((group) => group.name).sort()).toEqual(['availability', 'http']);
    const groups = await waitFor(
      'every rule evaluated once',
      async () => {
        const found = await ruleGroups(url);
        return found.length > 0 && found.every((group) => group.rules.every((one) => one.health !== 'unknown'))
          ? found
          : undefined;
      },
      BOUND_MS,
    );
    const summary = groups
      .map((group) => ({
        name: group.name,
        file: group.file,
        interval: group.interval,
        rules: group.rules.map((one) => [one.name, one.type, one.health, one.lastError ?? '']),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(summary).toEqual([
      {
        name: 'availability',
        file: `${RULES_DIR}/availability.rules.yml`,
        interval: 1,
        rules: [
          ['TargetDown', 'alerting', 'ok', ''],
          ['HealthzNotCalled', 'alerting', 'ok', ''],
        ],
      },
      {
        name: 'http',
        file: `${RULES_DIR}/http.rules.yml`,
        interval: 1,
        rules: [
          ['job_route:http_server_requests:rate5m', 'recording', 'ok', ''],
          ['job:http_server_requests:rate5m', 'recording', 'ok', ''],
          ['job:http_server_request_errors:ratio_rate5m', 'recording', 'ok', ''],
          ['job_route:http_server_request_duration_seconds:p99_5m', 'recording', 'ok', ''],
          ['HighErrorRatio', 'alerting', 'ok', ''],
          ['HighLatencyP99', 'alerting', 'ok', ''],
        ],
      },
    ]);
  });

  it('has HealthzNotCalled pending while the app is up and /healthz was never called (no healthz_count_total yet)', async () => {
    const pending = await waitFor(
      'HealthzNotCalled pending',
      async () => {
        const alert = await rule(url, 'HealthzNotCalled');
        return alert.state === 'pending' ? alert : undefined;
      },
      BOUND_MS,
    );
    expect(pending.alerts?.map((one) => one.labels)).toEqual([
      { alertname: 'HealthzNotCalled', job: JOB, instance: await app.target(), severity: 'warning' },
    ]);
    expect(await query(url, `healthz_count_total{job="${JOB}"}`)).toEqual([]);
  });

  it('records the request rate per job and route, the 5xx ratio and the p99 once /healthz is called', async () => {
    // Keep calling /healthz and an unmatched URL until two scrapes apart have seen their counts grow (a
    // series' first sample is no increase) and the rules have run on them.
    const [healthz, unmatched] = await waitFor(
      'request rates recorded for /healthz and for unmatched URLs',
      async () => {
        expect((await app.get('/healthz')).status).toBe(200);
        expect((await app.get('/no/such/page')).status).toBe(404);
        const samples = [
          await single(url, `job_route:http_server_requests:rate5m{job="${JOB}",http_route="/healthz"}`),
          await single(url, `job_route:http_server_requests:rate5m{job="${JOB}",http_route=""}`),
        ];
        return samples.every((sample) => sample && sample.value > 0) ? samples : undefined;
      },
      BOUND_MS,
    );
    // Aggregated to job and route: the exposition's other labels (method, status, scope...) are gone, and
    // the 404s of unmatched URLs make one series without http_route.
    expect(healthz?.metric).toEqual({
      __name__: 'job_route:http_server_requests:rate5m',
      job: JOB,
      http_route: '/healthz',
    });
    expect(unmatched?.metric).toEqual({ __name__: 'job_route:http_server_requests:rate5m', job: JOB });

    const requests = await single(url, `job:http_server_requests:rate5m{job="${JOB}"}`);
    expect(requests?.value).toBeGreaterThan(0);

    // Traffic and not one 5xx (no 5xx series exists at all): a ratio of 0, not a missing sample.
    expect(await single(url, `job:http_server_request_errors:ratio_rate5m{job="${JOB}"}`)).toEqual({
      metric: { __name__: 'job:http_server_request_errors:ratio_rate5m', job: JOB },
      value: 0,
    });

    // A p99 from the histogram: a finite duration within the buckets (the largest finite one is 10 s).
    const p99 = await waitFor(
      'the /healthz p99',
      () => single(url, `job_route:http_server_request_duration_seconds:p99_5m{job="${JOB}",http_route="/healthz"}`),
      BOUND_MS,
    );
    expect(p99.value).toBeGreaterThan(0);
    expect(p99.value).toBeLessThanOrEqual(10);
  });

  it('has HealthzNotCalled inactive again while /healthz is being called', async () => {
    const alert = await waitFor(
      'HealthzNotCalled inactive',
      async () => {
        expect((await app.get('/healthz')).status).toBe(200);
        const found = await rule(url, 'HealthzNotCalled');
        return found.state === 'inactive' ? found : undefined;
      },
      BOUND_MS,
    );
    expect(alert.alerts).toEqual([]);
    expect((await rule(url, 'TargetDown')).state).toBe('inactive');
    expect((await rule(url, 'HighErrorRatio')).state).toBe('inactive');
  });

  it('has TargetDown pending, and not HealthzNotCalled, once the app is stopped', async () => {
    const target = await app.target();
    expect(await app.stop()).toBe(0);
    const pending = await waitFor(
      'TargetDown pending',
      async () => {
        const alert = await rule(url, 'TargetDown');
        return alert.state === 'pending' ? alert : undefined;
      },
      BOUND_MS,
    );
    expect(pending.alerts?.map((one) => one.labels)).toEqual([
      { alertname: 'TargetDown', job: JOB, instance: target, severity: 'critical' },
    ]);
    expect((await rule(url, 'HealthzNotCalled')).state).toBe('inactive');
  });
});
