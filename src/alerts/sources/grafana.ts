import type { AlertSource } from '../alert-source.js';
import { mapAlertGroup } from '../mapping/alert-group.js';

/**
 * Grafana unified alerting's webhook contact point: Alertmanager's group body (version "1")
 * plus per-alert panel, dashboard, silence and image URLs. Newer Grafana can sign the body with
 * HMAC-SHA256 in `X-Grafana-Alerting-Signature`.
 */
export const grafanaSource: AlertSource = {
  name: 'grafana',
  hmacDefaults: { header: 'X-Grafana-Alerting-Signature', encoding: 'hex' },
  parse(payload, request) {
    return mapAlertGroup(payload, request, {
      source: 'grafana',
      vendor: 'Grafana',
      generatorTitle: 'Alert rule',
      titleKeepsAlertName: true,
      extraLinks: (alert) => [
        ['Panel', alert.panelURL],
        ['Dashboard', alert.dashboardURL],
        ['Silence', alert.silenceURL],
        ['Image', alert.imageURL],
      ],
    });
  },
};
