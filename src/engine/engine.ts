import type { Incident } from '../incidents/incident.js';
import type { BoxEvent, BoxResult } from '../boxes/box-type.js';
import { getBoxType } from '../boxes/registry.js';
import { BoxError } from '../boxes/box-error.js';
import { decideRetry } from './retry-policy.js';
import type { FlowDefinition } from '../flows/flow-schema.js';
import { arrowsOf, settingsOf } from '../flows/flow-graph.js';
import { insertRun, insertTask } from './start-run.js';
import { claimOnly, withHandoff, type JobHandoff } from './job-handoff.js';
import type { Job } from '../store/store.js';
import type { LiveEvents } from '../util/live-events.js';
import type { Run, Task } from '../model/run.js';
import type { Services } from '../boxes/services.js';
import { buildScope } from '../flows/build-scope.js';
import { createBoxContext } from './box-context.js';
import { servicesForChat } from '../boxes/services-for-chat.js';
import { addLogContext } from '../util/log-context.js';

export { MAX_BOX_ATTEMPTS } from './retry-policy.js';

/**
 * What a job handler asks of the worker: nothing (done), another try later after a failure
 * (`failedAt` starts the job's failing time), or "not yet" (`deferUntil`, no attempt used).
 */
export type JobOutcome = void | { retryAt: string; error: string; failedAt?: string } | { deferUntil: string; reason: string };

/** How one box run ended, as the box-duration metric labels it. */
export type BoxRunOutcome = 'done' | 'waiting' | 'retry' | 'deferred' | 'failed';

export interface EngineHooks {
  /** New work was queued here: tell the worker to look now. */
  wake?(): void;
  /** For one transaction that creates task jobs: the worker's offer to run them here at once (job-handoff.ts). */
  handoff?(): JobHandoff | undefined;
  /** A box ran (or resumed), for the box-duration metric. */
  onBoxRun?(boxType: string, outcome: BoxRunOutcome, ms: number): void;
}

/**
 * Runs flows durably. Every box execution is a task row; every piece of work (run a box, fire a
 * timer, deliver a click or an incident event) is a job row, claimed with a lease by whichever
 * instance is free. Jobs of one task share a queue, so a click and a timer for the same box never
 * race; boxes of one run have no shared queue, so independent branches run concurrently.
 */
export class Engine {
  private readonly wake: () => void;

  constructor(
    private readonly services: Services,
    private readonly live: LiveEvents,
    private readonly hooks: EngineHooks = {},
  ) {
    this.wake = () => hooks.wake?.();
  }

  /**
   * For one transaction that creates task jobs: leased to this process's worker when it has room
   * and started as the transaction commits, else queued and the worker woken.
   */
  handoff(): JobHandoff {
    return this.hooks.handoff?.() ?? claimOnly(this.wake);
  }

  /** Starts a flow for an incident unless it already ran for this trigger (idempotent). */
  async startRun(flow: FlowDefinition, incident: Incident, triggerKey: string, alertId?: string): Promise<Run | undefined> {
    const { store, clock, newId } = this.services;
    const now = clock.now().toISOString();
    const handoff = this.handoff();
    return withHandoff(store, handoff, (tx) => insertRun(tx, incident.id, { flow, triggerKey, alertId }, now, newId, handoff));
  }

  /** Handles one `task` job: runs a box, or resumes it with the event the job carries. */
  async handleTaskJob(job: Job): Promise<JobOutcome> {
    const { taskId, event } = job.payload as { taskId: string; event?: BoxEvent };
    const { store } = this.services;
    // The task, its run and the run's tasks (for the box's scope) in one read.
    const loaded = await store.getTaskRun(taskId);
    if (!loaded) return;
    const { task, run, tasks } = loaded;
    // A job for a task that has moved on (a second click, a timer after the event) does nothing.
    if (event ? task.status !== 'waiting' : task.status !== 'ready') return;
    if (event?.kind === 'timer' && task.waitUntil !== (job.payload as { until?: string }).until) return;
    if (run.status !== 'running') return;
    const incident = await store.getIncident(task.incidentId);
    if (!incident) return;
    addLogContext({ incidentId: incident.id, runId: run.id, flowId: run.flowId, boxId: task.boxId, taskId: task.id });
    const box = run.flow.boxes.find((candidate) => candidate.id === task.boxId);
    const boxType = box && getBoxType(box.type);
    if (!box || !boxType) {
      await this.finish(task, run, { done: { port: 'error', output: { error: `box ${task.boxId} is not in the flow` } } });
      return;
    }
    const alert = run.alertId ? await store.getAlert(run.alertId) : undefined;
    const scope = buildScope({ flow: run.flow, incident, alert, tasks, now: this.services.clock.now(), publicUrl: this.services.publicUrl });
    const settings = settingsOf(box);
    const { ctx, record } = createBoxContext({
      boxType,
      settings,
      box: { id: box.id, type: box.type, title: box.title },
      run,
      // What the box may know of its history: how many earlier attempts failed (the job's count).
      task: { ...task, attempts: job.attempts },
      incident,
      alert,
      scope,
      services: servicesForChat(this.services, box.chat ?? run.flow.chat),
      emitTimeline: (entry) => this.live.emit('timeline', entry),
    });

    let result: BoxResult;
    const started = performance.now();
    try {
      result = event ? await (boxType.resume ?? (async () => ({ wait: {} }) as BoxResult))(ctx, event) : await boxType.run(ctx);
      this.hooks.onBoxRun?.(box.type, 'wait' in result ? 'waiting' : 'done', performance.now() - started);
    } catch (error) {
      // Nothing waits here: a retry or a paced send is the job again, due later, and the slot is
      // free now. A template that cannot render, or settings to fix, fail at once (retry-policy.ts).
      const message = (error as Error).message ?? String(error);
      const decision = decideRetry(error, job, this.services.clock.now());
      if (decision.kind === 'defer') {
        this.hooks.onBoxRun?.(box.type, 'deferred', performance.now() - started);
        return { deferUntil: decision.until, reason: message };
      }
      if (decision.kind === 'retry') {
        this.hooks.onBoxRun?.(box.type, 'retry', performance.now() - started);
        return { retryAt: decision.at, error: message, failedAt: decision.failedAt };
      }
      this.hooks.onBoxRun?.(box.type, 'failed', performance.now() - started);
      this.services.log.warn({ incidentId: incident.id, runId: run.id, boxId: box.id, err: message }, 'box failed');
      await ctx.timeline({
        kind: 'failure',
        actor: 'sidekick',
        text: `${box.title ?? box.id} (${box.type}) failed: ${message}`,
        data: { box: box.id, code: (error as BoxError).code },
      });
      // Degrade visibly and keep going: follow `error` when the flow wired it, else `next`.
      const hasError = arrowsOf(box).some((arrow) => arrow.output === 'error');
      result = { done: { port: hasError ? 'error' : 'next', output: { error: message } } };
    }
    if (record.missing.size > 0) {
      const paths = [...record.missing];
      await ctx.timeline({
        kind: 'missing',
        actor: 'sidekick',
        text: `${box.id}: ${paths.join(', ')} ${paths.length === 1 ? 'was' : 'were'} not in the data; shown as ⟨missing⟩`,
        data: { box: box.id, paths },
      });
    }
    await this.finish(task, run, result);
  }

  /** A click on a signed button: queued for its task. Returns why it was refused, if it was. */
  async handleClick(value: string, user: { userId: string; userName: string; messageId: string }): Promise<'ok' | 'invalid' | 'stale'> {
    const payload = this.services.signer.verify(value);
    if (!payload) return 'invalid';
    const [taskId, choice] = splitOnce(payload, '|');
    const task = await this.services.store.getTask(taskId);
    if (!task || !choice) return 'invalid';
    if (task.status !== 'waiting') return 'stale';
    await this.addResponder(task.incidentId, user.userId, user.userName);
    const event: BoxEvent = { kind: 'click', choice, ...user };
    await this.services.store.enqueue({
      kind: 'task',
      payload: { taskId, event },
      runAt: this.services.clock.now().toISOString(),
      queue: `task:${taskId}`,
    });
    this.wake();
    return 'ok';
  }

  /** Tells every box of an incident that waits for `event` (resolved, mitigated…). */
  async deliverIncidentEvent(incidentId: string, event: string): Promise<void> {
    const { store, clock } = this.services;
    const waiting = await store.listTasks({ incidentId, status: ['waiting'] });
    for (const task of waiting.filter((candidate) => candidate.waitFor === event)) {
      await store.enqueue({
        kind: 'task',
        payload: { taskId: task.id, event: { kind: 'incident', event } },
        runAt: clock.now().toISOString(),
        queue: `task:${task.id}`,
        uniqueKey: `event:${task.id}:${task.version}:${event}`,
      });
    }
    if (waiting.length) this.wake();
  }

  /** Someone who clicked or spoke becomes a responder (and receives the reminders). */
  async addResponder(incidentId: string, userId: string, userName: string): Promise<void> {
    await this.services.incidents.addResponder(incidentId, { userId, userName });
  }

  private async finish(task: Task, run: Run, result: BoxResult): Promise<void> {
    const { store, clock } = this.services;
    const now = clock.now().toISOString();
    const handoff = this.handoff();
    await withHandoff(store, handoff, async (tx) => {
      if ('wait' in result) {
        const { until, event, state } = result.wait;
        const updated = await tx.updateTask(task.id, task.version, { status: 'waiting', state, waitUntil: until, waitFor: event }, now);
        if (!updated || !until) return;
        await tx.enqueue({
          kind: 'task',
          payload: { taskId: task.id, event: { kind: 'timer' }, until },
          runAt: until,
          queue: `task:${task.id}`,
          uniqueKey: `timer:${task.id}:${until}`,
        });
        return;
      }
      const { port, output } = result.done;
      const updated = await tx.updateTask(task.id, task.version, { status: 'done', port, output: output ?? {}, waitUntil: undefined, waitFor: undefined, completedAt: now }, now);
      if (!updated) return;
      const box = run.flow.boxes.find((candidate) => candidate.id === task.boxId);
      const targets = box ? arrowsOf(box).filter((arrow) => arrow.output === port) : [];
      for (const arrow of targets) await insertTask(tx, run, arrow.to, now, this.services.newId, handoff);
      // The last task to end finishes the run (the check and the write are one statement).
      if (targets.length === 0) await tx.finishRunIfIdle(run.id, now);
    });
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
