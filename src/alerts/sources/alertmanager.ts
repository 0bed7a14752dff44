import type { AlertSource } from '../alert-source.js';
import { mapAlertGroup } from '../mapping/alert-group.js';

/**
 * Prometheus Alertmanager's webhook (version 4): one request is a group of alerts, firing and
 * resolved together. Dedup key = the alert's fingerprint; `raw` = the group's fields plus that
 * one alert as `raw.alert` (see mapAlertGroup).
 */
export const alertmanagerSource: AlertSource = {
  name: 'alertmanager',
  parse(payload, request) {
    return mapAlertGroup(payload, request, { source: 'alertmanager', vendor: 'Alertmanager', generatorTitle: 'Prometheus' });
  },
};
