/** How alerts fold into incidents (from the `alerts.grouping` section of sidekick.yaml). */
export interface GroupingOptions {
  /** An alert that fires again this soon after its incident resolved reopens it. */
  flapWindowMs: number;
  /** New alerts in an open incident are summed up at most this often. */
  digestIntervalMs: number;
  /** `all`: the incident resolves when every alert in it has; `any`: on the first resolved alert. */
  resolveWhen: 'all' | 'any';
  /**
   * The storm guard: once one source opened `maxNewIncidents` incidents within `windowMs`, its
   * further new groups fold into one alert-storm incident. `maxNewIncidents: 0` turns it off.
   */
  storm: { maxNewIncidents: number; windowMs: number };
}
