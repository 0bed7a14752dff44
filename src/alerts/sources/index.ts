import type { AlertSource } from '../alert-source.js';
import { alertmanagerSource } from './alertmanager.js';
import { datadogSource } from './datadog.js';
import { genericSource } from './generic.js';
import { grafanaSource } from './grafana.js';
import { opsgenieSource } from './opsgenie.js';
import { pagerdutySource } from './pagerduty.js';

// A new monitor is one new file in this folder and one entry here.
const SOURCES: readonly AlertSource[] = [datadogSource, alertmanagerSource, grafanaSource, pagerdutySource, opsgenieSource, genericSource];
const BY_NAME = new Map(SOURCES.map((source) => [source.name, source]));

/** The source served at `POST /webhooks/<name>`, if there is one. */
export function getAlertSource(name: string): AlertSource | undefined {
  return BY_NAME.get(name);
}

/** Names of every registered source, in a stable order. */
export function alertSourceNames(): string[] {
  return SOURCES.map((source) => source.name);
}
