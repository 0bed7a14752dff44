import { errorKind } from '../errors/sidekick-error.js';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pino } from 'pino';
import type { FlowDefinition } from '../flows/flow-schema.js';
import { FlowCatalog } from '../flows/flow-catalog.js';
import { resolveSample } from '../flows/resolve-paths.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';
import type { IssueTracker, FiledIssue } from '../trackers/issue-tracker.js';
import { getAlertSource } from '../alerts/sources/index.js';
import { AlertIntakeError } from '../alerts/errors.js';
import { groupKeyOf } from '../alerts/group-key.js';
import { createStore } from '../store/create-store.js';
import { loadConfig } from '../config/load-config.js';
import { FakeClock } from '../util/clock.js';
import type { RoomMessage } from '../chat/room/room-queries.js';
import type { TimelineEntry } from '../incidents/incident.js';
import { createRuntime } from './create-runtime.js';
import { formatMessage } from './format-transcript.js';

export interface SimStep {
  at: string;
  /** Time since the alert, `+00:30:00`. */
  offset: string;
  kind: 'message' | 'message-updated' | 'timeline' | 'click' | 'note' | 'run';
  boxId?: string;
  /** For `run` steps: the output the box left by. */
  port?: string;
  channel?: string;
  text: string;
}

export interface SimulateInput {
  flow: FlowDefinition;
  flowFile: string;
  alert?: { source: string; payload: unknown };
  /** Button labels or choice ids to press, in order; without it, the first choice each time. */
  choose?: string[];
  playbooks?: PlaybookLibrary;
  /** How many buttons to press when `choose` is not given. */
  clicks?: number;
  /** Simulated time after which the system is healthy again and the incident resolves (default 45 min). */
  resolveAfterMs?: number;
}

/** The input names no usable alert: the caller's mistake (an HTTP 4xx), not Sidekick's. */
export class SimulationInputError extends errorKind<'SIMULATE_NO_ALERT' | 'SIMULATE_ALERT_SOURCE_UNKNOWN' | 'SIMULATE_ALERT_INVALID'>('SimulationInputError') {}

const USER = { userId: 'you', userName: 'you' };
const MAX_SIMULATED_MS = 48 * 60 * 60 * 1000;

/**
 * Runs one flow in memory on a fake clock, with the real engine, boxes, templates and the
 * built-in room, and returns the conversation as people would read it. Buttons are pressed as
 * `choose` says (or the first choice); when nothing is left to do, the incident is resolved, so
 * waits for `resolved` and the report run too. A 30-minute wait takes no real time.
 */
export async function simulateFlow(input: SimulateInput): Promise<{ steps: SimStep[]; transcript: string }> {
  const alertInput = input.alert ?? (await sampleOf(input.flow, input.flowFile));
  const source = getAlertSource(alertInput.source);
  if (!source) throw new SimulationInputError('SIMULATE_ALERT_SOURCE_UNKNOWN', `no alert source "${alertInput.source}"`);
  let alert;
  try {
    [alert] = source.parse(alertInput.payload, { headers: {}, receivedAt: new Date('2026-01-01T04:00:00Z') }, {});
  } catch (error) {
    if (!(error instanceof AlertIntakeError)) throw error;
    throw new SimulationInputError('SIMULATE_ALERT_INVALID', `the alert cannot be read as ${source.name}: ${error.message}`);
  }
  if (!alert) throw new SimulationInputError('SIMULATE_ALERT_INVALID', 'the sample payload holds no alert');

  const start = new Date('2026-01-01T04:00:00.000Z');
  const clock = new FakeClock(start);
  const config = loadConfig({ env: {}, path: undefined, cwd: dirname(input.flowFile) });
  config.flows.examples = false;
  config.flows.dirs = [];
  const steps: SimStep[] = [];
  const offset = () => formatOffset(clock.now().getTime() - start.getTime());
  const step = (kind: SimStep['kind'], text: string, extra: Partial<SimStep> = {}) => steps.push({ at: clock.now().toISOString(), offset: offset(), kind, text, ...extra });
  const tracker: IssueTracker = {
    name: 'simulated',
    async file(request): Promise<FiledIssue> {
      step('note', `Issue filed: ${request.title} (${request.body.length} characters of report)`);
      return { tracker: 'simulated', id: '1', url: 'https://issues.example/1' };
    },
  };
  const store = await createStore({ dataDir: ':memory:' });
  const runtime = await createRuntime(config, {
    store,
    clock,
    tracker,
    log: pino({ level: 'silent' }),
    startWorker: false,
    flows: new FlowCatalog([{ flow: input.flow, file: input.flowFile }], []),
    playbooks: input.playbooks,
  });
  const channels = new Map<string, string>();
  const channelName = async (id: string) => {
    if (!channels.has(id)) channels.set(id, (await store.getRoomChannel(id))?.name ?? id);
    return channels.get(id)!;
  };
  const pending: Promise<void>[] = [];
  runtime.live.on('message', (message) => pending.push(channelName(message.channel).then((name) => void step('message', formatMessage(message), { channel: name }))));
  runtime.live.on('message-updated', (message) => pending.push(channelName(message.channel).then((name) => void step('message-updated', formatMessage(message), { channel: name }))));
  runtime.live.on('timeline', (entry: TimelineEntry) => {
    if (['failure', 'missing', 'status', 'responder'].includes(entry.kind)) step('timeline', `${entry.kind}: ${entry.text}`);
  });

  try {
    const now = clock.now().toISOString();
    await store.insertAlerts([{ ...alert, id: runtime.services.newId(), receivedAt: now, groupKey: groupKeyOf(alert, { by: [] }) }], { now, dedupWindowMs: 0 });
    step('note', `Alert from ${alert.source}: ${alert.title}`);
    const choices = [...(input.choose ?? [])];
    let clicksLeft = input.choose ? choices.length : (input.clicks ?? 2);
    let resolved = false;
    for (let guard = 0; guard < 1000; guard++) {
      await runtime.worker.drain();
      await Promise.all(pending.splice(0));
      if (clicksLeft > 0) {
        const pressed = await pressButton(runtime, choices, Boolean(input.choose));
        if (pressed) {
          clicksLeft--;
          step('click', `you pressed “${pressed}”`);
          continue;
        }
        clicksLeft = 0;
      }
      const due = await store.nextJobDue();
      const resolveAt = start.getTime() + (input.resolveAfterMs ?? 45 * 60_000);
      const dueMs = due ? new Date(due).getTime() : Infinity;
      if (dueMs - start.getTime() <= MAX_SIMULATED_MS && (resolved || dueMs <= resolveAt)) {
        if (dueMs > clock.now().getTime()) clock.set(due!);
        continue;
      }
      const [incident] = await store.listIncidents({ status: 'open', limit: 1 });
      if (!incident || resolved) break;
      resolved = true;
      clock.set(new Date(Math.max(resolveAt, clock.now().getTime())));
      step('note', 'The system is healthy again: the incident is resolved');
      await runtime.incidents.setStatus(incident.id, 'resolved', 'you');
    }
    await Promise.all(pending.splice(0));
    // The path taken, box by box, for the editor to animate.
    const finished = (await store.listTasks({})).filter((task) => task.completedAt).sort((a, b) => a.completedAt!.localeCompare(b.completedAt!));
    for (const task of finished) {
      const box = input.flow.boxes.find((candidate) => candidate.id === task.boxId);
      steps.push({
        at: task.completedAt!,
        offset: formatOffset(new Date(task.completedAt!).getTime() - start.getTime()),
        kind: 'run',
        boxId: task.boxId,
        port: task.port,
        text: `${task.boxId} (${box?.type ?? '?'}) → ${task.port}`,
      });
    }
  } finally {
    await runtime.close();
    await store.close();
  }
  const transcript = steps
    .filter((s) => s.kind !== 'run')
    .map((s) => `${s.offset}  ${where(s.channel)}${s.text.replace(/\n/g, '\n' + ' '.repeat(11))}`)
    .join('\n');
  return { steps, transcript };
}

/** Presses the wanted (or first) button of a message whose box is waiting. Returns its label. */
async function pressButton(runtime: Awaited<ReturnType<typeof createRuntime>>, choices: string[], explicit: boolean): Promise<string | undefined> {
  const messages: RoomMessage[] = await runtime.store.listRoomMessages({ limit: 100_000 });
  const waiting = new Set((await runtime.store.listTasks({ status: ['waiting'] })).map((task) => task.id));
  for (const message of messages.reverse()) {
    const buttons = (message.blocks ?? []).flatMap((block) => (block.type === 'buttons' ? block.buttons : []));
    const live = buttons.filter((button) => {
      const payload = runtime.services.signer.verify(button.value);
      return payload && waiting.has(payload.split('|')[0]!);
    });
    if (live.length === 0) continue;
    const wanted = choices[0]?.toLowerCase();
    const button = explicit
      ? live.find((b) => b.label.toLowerCase().includes(wanted ?? '\u0000') || b.value.includes(`|${choices[0]}.`) || b.value.includes(`|go:${choices[0]}.`))
      : live.find((b) => !['done', '← back'].includes(b.label.toLowerCase()));
    if (!button) continue;
    if (explicit) choices.shift();
    const outcome = await runtime.inbound.click(button.value, { ...USER, messageId: message.id });
    if (outcome === 'ok') return button.label;
  }
  return undefined;
}

async function sampleOf(flow: FlowDefinition, flowFile: string): Promise<{ source: string; payload: unknown }> {
  if (!flow.sample) throw new SimulationInputError('SIMULATE_NO_ALERT', `flow "${flow.id}" names no sample alert; pass one (--alert <file>, or "alert" in the request)`);
  let text: string;
  try {
    text = await readFile(resolveSample(flowFile, flow.sample.file), 'utf8');
  } catch {
    throw new SimulationInputError('SIMULATE_NO_ALERT', `the sample alert ${flow.sample.file} of flow "${flow.id}" cannot be read; pass an alert instead`);
  }
  try {
    return { source: flow.sample.source, payload: JSON.parse(text) as unknown };
  } catch {
    throw new SimulationInputError('SIMULATE_ALERT_INVALID', `the sample alert ${flow.sample.file} of flow "${flow.id}" is not JSON`);
  }
}

/** `#channel  ` for channels, `@person (private)  ` for direct messages. */
function where(channel: string | undefined): string {
  if (!channel) return '';
  return channel.startsWith('@') ? `${channel} (private)  ` : `#${channel.replace(/^#/, '')}  `;
}

function formatOffset(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `+${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}
