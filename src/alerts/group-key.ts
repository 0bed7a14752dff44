import type { NormalisedAlert } from './alert.js';
import { boundKey } from './mapping/bound-key.js';

/**
 * The key an alert is grouped (and its jobs ordered) under. With `grouping.by` labels that the
 * alert has, it is those labels in the configured order, e.g. `service=mysql,cluster=eu`, so
 * alerts sharing those values — from any source — fold into one incident. Otherwise it is the
 * group the monitor made (`<source>:group:<monitorGroup>`, e.g. Alertmanager's `groupKey`), or
 * `<source>:<dedupKey>` for an alert the monitor did not group.
 * @example groupKeyOf(alert, { by: ['service', 'cluster'] }) // 'service=mysql,cluster=eu'
 */
export function groupKeyOf(alert: Pick<NormalisedAlert, 'source' | 'dedupKey' | 'labels' | 'monitorGroup'>, grouping: { by: readonly string[] }): string {
  const parts = grouping.by.filter((name) => Object.hasOwn(alert.labels, name)).map((name) => `${escapePart(name)}=${escapePart(alert.labels[name])}`);
  if (parts.length > 0) return boundKey(parts.join(','));
  return boundKey(alert.monitorGroup !== undefined ? `${alert.source}:group:${alert.monitorGroup}` : `${alert.source}:${alert.dedupKey}`);
}

// `,` and `=` inside names or values are escaped, so `a=b,c` can never collide with the pair
// `a=b` and `c`.
function escapePart(text: string): string {
  return text.replace(/[\\,=]/g, (char) => `\\${char}`);
}
