import { stringify } from 'yaml';

/** One alerting rule of the test's rule file; `firing` flips its expression on or off. */
export interface TestRule {
  alert: string;
  firing: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * Alertmanager's configuration: every alert goes to Sidekick's webhook with a bearer token.
 * Waits and intervals are a second so a test sees the firing and resolved notifications at once.
 */
export function writeAlertmanagerConfig(options: { webhookUrl: string; token: string }): string {
  return stringify({
    global: { resolve_timeout: '2s' },
    route: {
      receiver: 'sidekick',
      group_by: ['alertname'],
      group_wait: '1s',
      group_interval: '1s',
      repeat_interval: '1h',
    },
    receivers: [
      {
        name: 'sidekick',
        webhook_configs: [
          {
            url: options.webhookUrl,
            send_resolved: true,
            http_config: { authorization: { type: 'Bearer', credentials: options.token } },
          },
        ],
      },
    ],
  });
}

/** Prometheus's configuration: rules evaluated every second, alerts sent to one Alertmanager. */
export function writePrometheusConfig(options: { alertmanagerUrl: string; ruleFile: string }): string {
  return stringify({
    global: { scrape_interval: '15s', evaluation_interval: '1s' },
    rule_files: [options.ruleFile],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(options.alertmanagerUrl).host] }] }] },
  });
}

/** A rule file whose rules fire (`vector(1) > 0`) or not (`vector(0) > 0`) as told. */
export function writeRuleFile(rules: TestRule[]): string {
  return stringify({
    groups: [
      {
        name: 'sidekick-e2e',
        interval: '1s',
        rules: rules.map((rule) => ({
          alert: rule.alert,
          expr: rule.firing ? 'vector(1) > 0' : 'vector(0) > 0',
          labels: rule.labels,
          annotations: rule.annotations,
        })),
      },
    ],
  });
}
