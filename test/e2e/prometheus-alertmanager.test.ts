import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSidekick, type TestSidekick } from '../helpers/test-sidekick.js';
import { startDaemon, type Daemon } from './daemon.js';
import { findBinary } from './find-binary.js';
import { writeAlertmanagerConfig, writePrometheusConfig, writeRuleFile, type TestRule } from './monitoring-configs.js';

/**
 * The real chain: a Prometheus rule fires, Prometheus tells Alertmanager, Alertmanager's webhook
 * tells Sidekick, and Sidekick opens an incident; the rule stops firing and the resolved
 * notification resolves it. Debian's binaries (installed by .ci/run); skipped without them.
 */
const PROMETHEUS = findBinary(['prometheus'], 'SIDEKICK_E2E_PROMETHEUS');
const ALERTMANAGER = findBinary(['prometheus-alertmanager', 'alertmanager'], 'SIDEKICK_E2E_ALERTMANAGER');
const available = Boolean(PROMETHEUS && ALERTMANAGER);
// CI installs both (.ci/run); there, a missing binary is a failure, not a skip.
if (!available && process.env.CI) throw new Error('CI must run the Prometheus → Alertmanager end-to-end test, but prometheus or prometheus-alertmanager is missing');
if (!available) {
  console.warn(
    `\n⚠⚠⚠ SKIPPING the Prometheus → Alertmanager → Sidekick end-to-end test: ${[PROMETHEUS ? '' : 'prometheus', ALERTMANAGER ? '' : 'prometheus-alertmanager']
      .filter(Boolean)
      .join(' and ')} not found; install them (apt-get install prometheus prometheus-alertmanager, as .ci/run does) or point SIDEKICK_E2E_PROMETHEUS / SIDEKICK_E2E_ALERTMANAGER at the binaries ⚠⚠⚠\n`,
  );
}

// Both rules carry the same service label, so Sidekick's grouping by service folds them into one
// incident although Alertmanager (grouping by alertname) delivers them in separate webhooks.
const SERVICE = 'e2e-checkout';
const TEAM = 'paiements-ünïcødé-服务-🔥';
// Prometheus expands its own Go template in annotations ({{ $value }}, and {{ "{{" }} for literal
// braces); what comes out, Liquid syntax and shell metacharacters included, must stay text.
const HOSTILE_SUMMARY = 'Checkout 5xx at {{ $value }}: `rm -rf /`; $(id) <b>bold</b> {{ "{{ alert.raw }}" }} {% include "/etc/passwd" %}';
const EXPANDED_SUMMARY = 'Checkout 5xx at 1: `rm -rf /`; $(id) <b>bold</b> {{ alert.raw }} {% include "/etc/passwd" %}';
const ERRORS: TestRule = {
  alert: 'E2ECheckoutErrors',
  firing: true,
  labels: { severity: 'page', service: SERVICE, team: TEAM },
  annotations: { summary: HOSTILE_SUMMARY, runbook_url: 'https://runbooks.example.com/checkout-5xx' },
};
const LATENCY: TestRule = {
  alert: 'E2ECheckoutLatency',
  firing: true,
  labels: { severity: 'warning', service: SERVICE, team: TEAM },
  annotations: { summary: 'Checkout p99 latency is {{ $value }}s', runbook_url: 'javascript:alert(1)' },
};
const CATCH_ALL = `
id: catch-all
name: Catch all
trigger:
  on: alert
boxes:
  - id: note
    type: post
    text: "Alert for {{ alert.labels.service }}: {{ alert.title }}"
`;
// Long enough for a loaded CI machine; the chain normally takes 5–10 s each way.
const DEADLINE_MS = 45_000;
const TEST_TIMEOUT_MS = 2 * DEADLINE_MS + 10_000;

interface AlertView {
  id: string;
  source: string;
  dedupKey: string;
  status: string;
  title: string;
  severity: string;
  labels: Record<string, string>;
  links: { title: string; url: string }[];
  raw: Record<string, any>;
}
interface TimelineView {
  kind: string;
  text: string;
  data?: Record<string, any>;
}

describe.skipIf(!available)('Prometheus → Alertmanager → Sidekick (real daemons)', () => {
  const token = randomBytes(24).toString('hex');
  let dir: string;
  let ruleFile: string;
  let sidekick: TestSidekick | undefined;
  let alertmanager: Daemon | undefined;
  let prometheus: Daemon | undefined;
  let incidentId: string | undefined;

  /** The daemons' own logs, so a timeout says what Prometheus and Alertmanager were doing. */
  const daemonLogs = () =>
    [alertmanager, prometheus]
      .filter((daemon): daemon is Daemon => Boolean(daemon))
      .map((daemon) => `--- ${daemon.name} (${daemon.url}) ---\n${daemon.logs().split('\n').slice(-60).join('\n')}`)
      .join('\n');
  /** Polls `check` until it returns a value; on timeout, fails with what was last seen and the daemons' logs. */
  const waitFor = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + DEADLINE_MS;
    let lastError: unknown;
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined) return value;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        const incidents = await sidekick?.get('/api/incidents?limit=20').catch(() => undefined);
        throw new Error(
          `timed out after ${DEADLINE_MS} ms waiting for ${what}` +
            (lastError ? `\nlast error: ${String(lastError)}` : '') +
            `\nSidekick incidents: ${JSON.stringify(incidents?.body)}\n${daemonLogs()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const incidentDetail = async (id: string) => {
    const { status, body } = await sidekick!.get(`/api/incidents/${id}`);
    if (status !== 200) throw new Error(`GET /api/incidents/${id} answered ${status}`);
    return body as { incident: { id: string; status: string; groupKey: string; labels: Record<string, string> }; alerts: AlertView[]; timeline: TimelineView[]; messages: { text: string }[] };
  };
  /** Rewrites the rule file and has Prometheus load it (lifecycle API; 200 only once applied). */
  const setRules = async (rules: TestRule[]) => {
    writeFileSync(ruleFile, writeRuleFile(rules));
    const response = await fetch(`${prometheus!.url}/-/reload`, { method: 'POST' });
    if (!response.ok) throw new Error(`Prometheus refused the reload (${response.status}): ${await response.text()}\n${daemonLogs()}`);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sidekick-e2e-'));
    ruleFile = join(dir, 'rules.yml');
    sidekick = await startTestSidekick({
      flows: { 'catch-all.yaml': CATCH_ALL },
      env: { E2E_WEBHOOK_TOKEN: token },
      yaml: ['alerts:', '  sources:', '    alertmanager:', '      auth: { type: bearer, token: "${E2E_WEBHOOK_TOKEN}" }', '  grouping:', '    by: [service]', '    digestInterval: 1s'].join('\n'),
    });

    const alertmanagerConfig = join(dir, 'alertmanager.yml');
    writeFileSync(alertmanagerConfig, writeAlertmanagerConfig({ webhookUrl: `${sidekick.url}/webhooks/alertmanager`, token }));
    alertmanager = await startDaemon({
      name: 'alertmanager',
      binary: ALERTMANAGER!,
      readyPath: '/-/ready',
      args: (port) => [
        `--config.file=${alertmanagerConfig}`,
        `--storage.path=${join(dir, 'alertmanager-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=http://127.0.0.1:${port}`,
        // Empty: no HA gossip, which would bind 0.0.0.0:9094 and wait for peers to settle.
        '--cluster.listen-address=',
        // Debug logs each flush and webhook call, which is what a timeout message needs.
        '--log.level=debug',
      ],
    });

    const prometheusConfig = join(dir, 'prometheus.yml');
    // Only one rule fires at first, so which alert opens the incident (and titles it) is known.
    writeFileSync(ruleFile, writeRuleFile([ERRORS, { ...LATENCY, firing: false }]));
    writeFileSync(prometheusConfig, writePrometheusConfig({ alertmanagerUrl: alertmanager.url, ruleFile }));
    prometheus = await startDaemon({
      name: 'prometheus',
      binary: PROMETHEUS!,
      readyPath: '/-/ready',
      args: (port) => [
        `--config.file=${prometheusConfig}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=http://127.0.0.1:${port}`,
        '--web.enable-lifecycle',
        // Alerts evaluated before discovery publishes the Alertmanager (up to 5 s) are dropped and
        // would otherwise be re-sent only a minute later. Firing alerts get endsAt = now + 4 × this,
        // so 2 s also leaves Alertmanager 8 s of slack before it would time an alert out by itself.
        '--rules.alert.resend-delay=2s',
        '--log.level=debug',
      ],
    });
  });

  afterAll(async () => {
    // Each step on its own, so one failure never leaves a daemon running or a folder behind.
    await Promise.allSettled([prometheus?.stop(), alertmanager?.stop()]);
    await sidekick?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a webhook without the bearer token Alertmanager is configured with', async () => {
    const body = { version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Forged', service: SERVICE }, fingerprint: 'ffffffffffffffff' }] };
    expect(await sidekick!.post('/webhooks/alertmanager', body)).toMatchObject({ status: 401, body: { error: { code: 'ALERT_AUTH_FAILED' } } });
    expect(await sidekick!.post('/webhooks/alertmanager', body, { authorization: `Bearer ${token}x` })).toMatchObject({ status: 401 });
  });

  it(
    'opens an incident from the firing rule, with its labels and links, and its flow renders the title once',
    async () => {
      const opened = await waitFor(`an incident from ${ERRORS.alert}`, async () => {
        const { body } = await sidekick!.get('/api/incidents?limit=20');
        const incident = (body.incidents as { id: string; labels: Record<string, string> }[]).find((each) => each.labels.service === SERVICE);
        return incident ? incidentDetail(incident.id) : undefined;
      });
      incidentId = opened.incident.id;
      expect(opened.incident).toMatchObject({ status: 'investigating', title: EXPANDED_SUMMARY, severity: 'critical' });
      expect(opened.incident.labels).toEqual({ alertname: ERRORS.alert, ...ERRORS.labels });
      expect(opened.alerts).toHaveLength(1);
      const [alert] = opened.alerts;
      expect(alert).toMatchObject({ source: 'alertmanager', status: 'firing', title: EXPANDED_SUMMARY, severity: 'critical' });
      expect(alert.labels).toEqual({ alertname: ERRORS.alert, ...ERRORS.labels });
      expect(alert.dedupKey).toMatch(/^[0-9a-f]{16}$/);
      expect(alert.raw).toMatchObject({ receiver: 'sidekick', version: '4', status: 'firing', externalURL: alertmanager!.url });
      expect(alert.raw.alert.endsAt).toBe('0001-01-01T00:00:00Z');
      expect(alert.links.map((link) => link.title)).toEqual(['Prometheus', 'Runbook', 'Alertmanager']);
      expect(alert.links[0].url.startsWith(`${prometheus!.url}/graph?`)).toBe(true);
      expect(alert.links.slice(1)).toEqual([
        { title: 'Runbook', url: ERRORS.annotations.runbook_url },
        { title: 'Alertmanager', url: alertmanager!.url },
      ]);

      // Escaped for chat once; the Liquid text inside the title is never rendered a second time.
      const posted = await waitFor('the catch-all flow to post its message', async () => {
        const detail = await incidentDetail(opened.incident.id);
        return detail.timeline.find((entry) => entry.kind === 'message' && entry.data?.box === 'note');
      });
      expect(posted.text).toBe(`Alert for ${SERVICE}: Checkout 5xx at 1: \`rm -rf /\`; $(id) &lt;b&gt;bold&lt;/b&gt; {{ alert.raw }} {% include "/etc/passwd" %}`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'folds a second rule of the same service into that incident',
    async () => {
      if (!incidentId) throw new Error('no incident was opened by the previous test');
      const id = incidentId;
      await setRules([ERRORS, LATENCY]);
      const joined = await waitFor(`${LATENCY.alert} to join the incident`, async () => {
        const detail = await incidentDetail(id);
        return detail.timeline.some((entry) => entry.kind === 'alert' && entry.data?.joined && entry.data?.title === 'Checkout p99 latency is 1s') ? detail : undefined;
      });
      const latency = joined.alerts.find((alert) => alert.labels.alertname === LATENCY.alert)!;
      expect(latency).toMatchObject({ source: 'alertmanager', status: 'firing', title: 'Checkout p99 latency is 1s', severity: 'warning' });
      expect(latency.labels).toEqual({ alertname: LATENCY.alert, ...LATENCY.labels });
      expect(latency.raw.groupKey).toContain(LATENCY.alert);
      // A javascript: runbook from an annotation never becomes a link.
      expect(latency.links.map((link) => link.title)).toEqual(['Prometheus', 'Alertmanager']);
      expect(joined.incident.status).toBe('investigating');

      const { body } = await sidekick!.get('/api/incidents?limit=20');
      expect(body.incidents.filter((incident: { labels: Record<string, string> }) => incident.labels.service === SERVICE)).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps the incident open while one rule still fires, and resolves it when both have stopped',
    async () => {
      if (!incidentId) throw new Error('no incident was opened by the previous test');
      const id = incidentId;
      const resolvedEntry = (detail: Awaited<ReturnType<typeof incidentDetail>>, alertname: string) => {
        const keys = new Set(detail.alerts.filter((alert) => alert.labels.alertname === alertname).map((alert) => alert.dedupKey));
        const alertIds = new Map(detail.alerts.map((alert) => [alert.id, alert]));
        return detail.timeline.findIndex((entry) => entry.kind === 'alert' && entry.data?.status === 'resolved' && keys.has(alertIds.get(entry.data?.alertId)?.dedupKey ?? ''));
      };

      await setRules([{ ...ERRORS, firing: false }, LATENCY]);
      const halfway = await waitFor(`the resolved notification of ${ERRORS.alert}`, async () => {
        const detail = await incidentDetail(id);
        return resolvedEntry(detail, ERRORS.alert) >= 0 ? detail : undefined;
      });
      expect(halfway.incident.status).toBe('investigating');
      const errorsResolved = halfway.alerts.find((alert) => alert.labels.alertname === ERRORS.alert && alert.status === 'resolved')!;
      expect(errorsResolved).toMatchObject({ source: 'alertmanager', labels: { alertname: ERRORS.alert, ...ERRORS.labels } });
      expect(errorsResolved.raw.alert.endsAt).not.toBe('0001-01-01T00:00:00Z');

      await setRules([
        { ...ERRORS, firing: false },
        { ...LATENCY, firing: false },
      ]);
      const resolved = await waitFor('the incident to resolve', async () => {
        const detail = await incidentDetail(id);
        return detail.incident.status === 'resolved' ? detail : undefined;
      });

      // Resolution came from the last rule's resolved notification, not the first one's.
      const statusChanges = resolved.timeline.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.kind === 'status');
      expect(statusChanges.map(({ entry }) => entry.data?.to)).toEqual(['resolved']);
      expect(statusChanges[0].index).toBeGreaterThan(resolvedEntry(resolved, LATENCY.alert));
      expect(resolvedEntry(resolved, LATENCY.alert)).toBeGreaterThan(resolvedEntry(resolved, ERRORS.alert));
      expect(statusChanges[0].entry.text).toMatch(/→ resolved/);

      const firingKeys = new Set(resolved.alerts.filter((alert) => alert.status === 'firing').map((alert) => alert.dedupKey));
      const resolvedKeys = new Set(resolved.alerts.filter((alert) => alert.status === 'resolved').map((alert) => alert.dedupKey));
      expect(resolvedKeys).toEqual(firingKeys);
      expect(resolvedKeys.size).toBe(2);

      const { body } = await sidekick!.get('/api/incidents?limit=20');
      expect(body.incidents.filter((incident: { labels: Record<string, string> }) => incident.labels.service === SERVICE)).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );
});
