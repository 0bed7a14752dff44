/** Clusters the storm's alerts are spread over; `grouping.by: [cluster]` makes one incident each. */
export const STORM_CLUSTERS = ['eu-1', 'eu-2', 'us-1', 'ap-1'] as const;

/** Digests every 5 s (the default is 60 s) so that they happen within the run. */
export const DIGEST_INTERVAL_MS = 5_000;

/** sidekick.yaml of the storm's instances: the bundled example flows, grouping by cluster. */
export const STORM_YAML = `
alerts:
  grouping:
    by: [cluster]
    digestInterval: ${DIGEST_INTERVAL_MS / 1000}s
`;

/**
 * Alertmanager webhook bodies (version 4), one firing alert each, over `keys` fingerprints.
 * Every body differs (a sample number in the annotations, a distinct start time), so intake's
 * redelivery check keeps them all: the storm is 20,000 real alerts, not 200 repeated ones.
 * `run` makes fingerprints unique to this run.
 */
export function buildStormBodies(count: number, keys: number, run: string): Buffer[] {
  const start = Date.parse('2026-01-01T04:00:00.000Z');
  const bodies: Buffer[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const key = i % keys;
    const cluster = STORM_CLUSTERS[key % STORM_CLUSTERS.length]!;
    const labels = {
      alertname: `DiskPressure${key % 20}`,
      cluster,
      instance: `node-${key}.${cluster}.example.com:9100`,
      job: 'node',
      severity: key % 3 === 0 ? 'critical' : 'warning',
      team: 'platform',
    };
    const annotations = {
      summary: `node-${key} in ${cluster} has little disk left`,
      description: `Free space on / is below 10 % (sample ${i}).`,
    };
    bodies[i] = Buffer.from(
      JSON.stringify({
        receiver: 'sidekick',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels,
            annotations,
            startsAt: new Date(start + i).toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: `http://prometheus.${cluster}.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes`,
            fingerprint: fingerprint(run, key),
          },
        ],
        groupLabels: { alertname: labels.alertname },
        commonLabels: labels,
        commonAnnotations: annotations,
        externalURL: `http://alertmanager.${cluster}.example.com:9093`,
        version: '4',
        groupKey: `{}:{alertname="${labels.alertname}"}`,
        truncatedAlerts: 0,
      }),
    );
  }
  return bodies;
}

/** A 16-hex-digit fingerprint like Alertmanager's, unique per run and key. */
function fingerprint(run: string, key: number): string {
  let hash = 0xcbf29ce484222325n;
  for (const char of `${run}:${key}`) hash = BigInt.asUintN(64, (hash ^ BigInt(char.codePointAt(0)!)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}
