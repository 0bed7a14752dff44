/**
 * One Sidekick in a process of its own, for the benchmarks that must not share a process with the
 * load generator (the storm, two instances on PostgreSQL, the Node-RED comparison). Started by
 * spawn-instance.ts with its options in BENCH_INSTANCE; answers questions over the IPC channel.
 */
import { startBenchSidekick, REPO_ROOT, type BenchSidekickOptions } from './bench-sidekick.js';
import { CpuProfiler } from './cpu-profile.js';
import { HttpChat } from './http-chat.js';
import { countOutcome } from './count-outcome.js';
import { timeSqliteStatements } from './sql-timing.js';
import { LoopDelayMonitor } from './event-loop-delay.js';

/** Options passed from the parent (JSON in the environment). */
export interface InstanceOptions extends Omit<BenchSidekickOptions, 'overrides'> {
  /** Post chat messages to this HTTP endpoint instead of the built-in room. */
  chatUrl?: string;
  workerConcurrency?: number;
}

/** A question from the parent. */
export interface InstanceRequest {
  id: number;
  type: 'outcome' | 'profile-start' | 'profile-stop' | 'sql-start' | 'sql-stop' | 'loop-start' | 'loop-stop' | 'cpu' | 'close';
  /** For `outcome`: also read every chat message (slow; once at the end). */
  withMessages?: boolean;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_INSTANCE ?? '{}') as InstanceOptions;
  const sidekick = await startBenchSidekick({
    ...options,
    overrides: {
      ...(options.chatUrl ? { chat: new HttpChat(options.chatUrl) } : {}),
      ...(options.workerConcurrency ? { workerConcurrency: options.workerConcurrency } : {}),
    },
  });
  const profiler = new CpuProfiler();
  let sqlTiming: ReturnType<typeof timeSqliteStatements> | undefined;
  const loopDelay = new LoopDelayMonitor();
  const answer = async (request: InstanceRequest): Promise<unknown> => {
    switch (request.type) {
      case 'outcome':
        return countOutcome(sidekick.store, { withMessages: request.withMessages === true });
      case 'profile-start':
        return profiler.start();
      case 'profile-stop':
        return profiler.stop(REPO_ROOT);
      case 'sql-start':
        sqlTiming = timeSqliteStatements();
        return undefined;
      case 'sql-stop':
        return sqlTiming?.stop() ?? [];
      case 'loop-start':
        return loopDelay.start();
      case 'loop-stop':
        return loopDelay.stop();
      case 'cpu': {
        // CPU time of this process so far (µs): per-alert CPU is robust on a shared machine.
        const used = process.cpuUsage();
        return used.user + used.system;
      }
      case 'close':
        await sidekick.close();
        setImmediate(() => process.exit(0));
        return undefined;
    }
  };
  process.on('message', (request: InstanceRequest) => {
    answer(request).then(
      (result) => process.send?.({ id: request.id, result }),
      (error: Error) => process.send?.({ id: request.id, error: error.message }),
    );
  });
  // The parent going away (a crashed or interrupted benchmark) must not leave a server behind.
  process.on('disconnect', () => void sidekick.close().finally(() => process.exit(0)));
  process.send?.({ type: 'ready', url: sidekick.url, pid: process.pid });
}

main().catch((error: Error) => {
  process.stderr.write(`bench instance failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
