import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay over a measured stretch: how long a ready callback waited for the loop. */
export interface LoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Issue #12's bar: p99 ≤ 20 ms in every scenario. */
export const LOOP_DELAY_BAR = { atMost: 20, text: 'p99 ≤ 20 ms' };

/**
 * Watches this process's event loop (perf_hooks.monitorEventLoopDelay, 10 ms resolution: the
 * figures include that sampling interval's granularity, not a 10 ms floor). `stop` gives the
 * percentiles since `start`.
 */
export class LoopDelayMonitor {
  private histogram?: IntervalHistogram;

  start(): void {
    this.histogram?.disable();
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
  }

  stop(): LoopDelay {
    const histogram = this.histogram;
    this.histogram = undefined;
    if (!histogram) return { p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN };
    histogram.disable();
    const ms = (ns: number) => ns / 1e6;
    return { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
  }
}
