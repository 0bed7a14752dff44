import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchSidekick, REPO_ROOT } from './bench-sidekick.js';
import { postBody } from './load-generator.js';
import { Agent } from 'node:http';
import { CallLog, SlowChat, SlowMeetings, type FakeCall } from './slow-fakes.js';
import { figureAgainst, info, type Figure, type Section } from './report.js';
import { formatMs, percentile } from './stats.js';
import { LOOP_DELAY_BAR, LoopDelayMonitor, type LoopDelay } from './event-loop-delay.js';

/** One alert's story, in ms after its webhook reached Sidekick. */
interface StoryTimes {
  channelOpened: number;
  meetingCreated: number;
  meetingLinkPosted: number;
  playbookPosted: number;
  teamsNotified: number;
  /** Sum of every fake call's duration that ended by the time both messages were out. */
  callTimeBeforeBoth: number;
  callsBeforeBoth: number;
  callTimeTotal: number;
  callsTotal: number;
}

/**
 * Benchmark 2: the 4 am story (the bundled mysql-replication flow and Datadog example alert) with
 * a chat service and a meeting provider that take 200 ms per call, passed in through the runtime
 * overrides. The meeting-link branch needs three calls in a row (open channel → create meeting →
 * post), the playbook branch two (open channel → post); with branches in parallel both messages
 * are out after about three calls, not after the sum of every call.
 */
export async function benchCriticalPath(options: { delayMs: number; repetitions: number }): Promise<Section> {
  const started = performance.now();
  const log = new CallLog();
  const chat = new SlowChat(log, options.delayMs);
  const meetings = new SlowMeetings(log, options.delayMs);
  const sidekick = await startBenchSidekick({ overrides: { chat, meetings, fallbackMeetings: meetings } });
  const arrivals = new Map<number, number>();
  sidekick.server.prependListener('request', (req) => {
    const rep = Number(req.headers['x-bench-seq']);
    if (Number.isInteger(rep)) arrivals.set(rep, performance.now());
  });
  const example = JSON.parse(readFileSync(join(REPO_ROOT, 'examples/alerts/datadog-mysql-replication-lag.json'), 'utf8')) as Record<string, unknown>;
  const agent = new Agent({ keepAlive: true });
  const flowLoaded = sidekick.runtime.flows.get('mysql-replication') !== undefined;
  const stories: StoryTimes[] = [];
  const failures: string[] = [];
  // Sidekick runs in this process: the monitor sees its event loop while the stories run.
  const loopMonitor = new LoopDelayMonitor();
  let loopDelay: LoopDelay | undefined;
  try {
    if (!flowLoaded) {
      const problems = sidekick.runtime.flows.problems.filter((problem) => problem.file.includes('mysql-replication')).map((problem) => problem.message);
      throw new Error(`the bundled mysql-replication flow did not load: ${problems.join('; ') || 'unknown reason'}`);
    }
    loopMonitor.start();
    for (let rep = 0; rep < options.repetitions; rep++) {
      const body = Buffer.from(
        JSON.stringify({
          ...example,
          aggreg_key: `bench-story-${rep}-${Date.now()}`,
          alert_id: `${900_000 + rep}${Date.now() % 100_000}`,
          id: `${Date.now()}${rep}`,
          alert_cycle_key: `bench-${rep}-${Date.now()}`,
        }),
      );
      const firstCall = log.calls.length;
      const answer = await postBody(agent, sidekick.url, '/webhooks/datadog', body, { 'x-bench-seq': String(rep) });
      if (answer.status !== 202) throw new Error(`the Datadog webhook answered ${answer.status}`);
      const story = await waitForStory(log, firstCall, arrivals.get(rep)!, 15_000);
      if (typeof story === 'string') failures.push(`alert ${rep + 1}: ${story}`);
      else stories.push(story);
    }
    loopDelay = loopMonitor.stop();
  } finally {
    loopMonitor.stop();
    agent.destroy();
    await sidekick.close();
  }

  const median = (pick: (story: StoryTimes) => number) => percentile(stories.map(pick), 50);
  const both = median((story) => Math.max(story.meetingLinkPosted, story.playbookPosted));
  const sumBefore = median((story) => story.callTimeBeforeBoth);
  const slowestBranch = 3 * options.delayMs;
  const parallel = stories.length > 0 && both < sumBefore - options.delayMs / 2;
  const figures: Figure[] = [
    {
      name: 'alert → meeting link and playbook both posted (median)',
      value: formatMs(both),
      bar: `≈ slowest branch (3 calls × ${options.delayMs} ms = ${slowestBranch} ms), not the sum of calls`,
      verdict: parallel ? 'met' : 'missed',
    },
    info('sum of the fake calls made by then (median)', formatMs(sumBefore)),
    info('Sidekick’s own overhead on the critical path (median)', formatMs(both - slowestBranch)),
    info('stories completed', `${stories.length} of ${options.repetitions}`),
    ...(loopDelay ? [figureAgainst('event-loop delay p99 while the stories ran', loopDelay.p99Ms, LOOP_DELAY_BAR, formatMs)] : []),
  ];
  const rows = stories.map(
    (story, index) =>
      `| ${index + 1} | ${formatMs(story.channelOpened)} | ${formatMs(story.meetingCreated)} | ${formatMs(story.meetingLinkPosted)} | ${formatMs(story.playbookPosted)} | ${formatMs(story.teamsNotified)} | ${story.callsBeforeBoth} calls, ${formatMs(story.callTimeBeforeBoth)} | ${story.callsTotal} calls, ${formatMs(story.callTimeTotal)} |`,
  );
  return {
    title: '2. The story’s critical path with 200 ms fakes',
    method:
      `The bundled \`mysql-replication\` flow and the Datadog example alert, ${options.repetitions} times in a row (each from a monitor of its own, so a new incident each), with a chat service and a meeting provider that answer every call after ${options.delayMs} ms (runtime overrides \`chat\` and \`meetings\`). ` +
      'Times are from the webhook request reaching Sidekick to the end of the fake call that did the thing. The flow opens the channel, then in parallel: the meeting (then the “on it” post with the link, and the notice to three other teams\u2019 channels) and the playbook post.',
    status: stories.length ? 'ran' : 'failed',
    figures,
    details: [
      [
        '| alert | channel opened | meeting created | meeting link posted | playbook posted | 3 teams notified | calls done when both were out | all calls of the story |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
      ].join('\n'),
      `A strictly sequential engine would need at least the sum of the calls made before both messages were out (the column \u201ccalls done when both were out\u201d); the measured critical path is the slowest branch plus Sidekick\u2019s own time. The notice to the other teams posts to three channels from one box, one after the other (resolve + post per channel), so that branch ends last, but it is not on the path to the meeting link or the playbook.`,
      ...(failures.length ? [`Incomplete: ${failures.join('; ')}`] : []),
    ],
    analysis: [
      ...(parallel
        ? []
        : [
            'Both messages came out no earlier than the sum of the calls: the boxes ran one after another. Look at engine.ts (task jobs of one run must not share a queue) and the worker concurrency.',
          ]),
      ...(loopDelay && loopDelay.p99Ms > LOOP_DELAY_BAR.atMost
        ? [`Event-loop delay p99 ${formatMs(loopDelay.p99Ms)} with one story at a time: a long task runs on the event loop. Next: run the stories under the CPU profiler and name it.`]
        : []),
    ],
    seconds: (performance.now() - started) / 1000,
  };
}

/** Waits for one alert's story in the call log (calls from `from` on) and times it against `t0`. */
async function waitForStory(log: CallLog, from: number, t0: number, timeoutMs: number): Promise<StoryTimes | string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const calls = log.calls.slice(from);
    const opened = calls.find((call) => call.method === 'openChannel');
    const incident = opened ? /^inc-(\d+)-/.exec(opened.channel ?? '')?.[1] : undefined;
    const channel = opened ? `C-${opened.channel}` : undefined;
    const meeting = calls.find((call) => call.service === 'meetings');
    const blocksOf = (call: FakeCall) => JSON.stringify(call.message?.blocks ?? []);
    const linkPost = calls.find((call) => call.method === 'post' && call.channel === channel && blocksOf(call).includes('meet.example.com'));
    const playbookPost = calls.find((call) => call.method === 'post' && call.channel === channel && blocksOf(call).includes('"buttons"'));
    const notices = calls.filter((call) => call.method === 'post' && incident !== undefined && call.message?.text.includes(`Heads-up: INC-${incident} `));
    if (opened && meeting && linkPost && playbookPost && notices.length >= 3) {
      const bothAt = Math.max(linkPost.endedAt, playbookPost.endedAt);
      const before = calls.filter((call) => call.endedAt <= bothAt);
      const duration = (list: FakeCall[]) => list.reduce((sum, call) => sum + (call.endedAt - call.startedAt), 0);
      return {
        channelOpened: opened.endedAt - t0,
        meetingCreated: meeting.endedAt - t0,
        meetingLinkPosted: linkPost.endedAt - t0,
        playbookPosted: playbookPost.endedAt - t0,
        teamsNotified: Math.max(...notices.map((call) => call.endedAt)) - t0,
        callTimeBeforeBoth: duration(before),
        callsBeforeBoth: before.length,
        callTimeTotal: duration(calls),
        callsTotal: calls.length,
      };
    }
    if (performance.now() > deadline) {
      const seen = calls.map((call) => call.method).join(', ') || 'no calls';
      return `not complete after ${timeoutMs / 1000} s (calls seen: ${seen})`;
    }
    await sleep(10);
  }
}
