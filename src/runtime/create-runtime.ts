import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { pino, destination, type Logger } from 'pino';
import { parseHttpTarget } from '../boxes/http-targets.js';
import type { SidekickConfig } from '../config/config-sections.js';
import type { Store } from '../store/store.js';
import { createStore } from '../store/create-store.js';
import type { Services } from '../boxes/services.js';
import { Engine } from '../engine/engine.js';
import { Worker } from '../engine/worker.js';
import { createSigner } from '../engine/signer.js';
import { IncidentService } from '../incidents/incident-service.js';
import { loadFlows } from '../flows/load-flows.js';
import type { FlowCatalog } from '../flows/flow-catalog.js';
import { loadPlaybooks } from '../playbooks/load-playbooks.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';
import { systemClock, type Clock } from '../util/clock.js';
import { LiveEvents } from '../util/live-events.js';
import { flowFolders, playbookFolders } from '../flows/resolve-paths.js';
import { FlowReloader } from './reload-flows.js';
import { CheckCache } from '../flows/check-cache.js';
import { buildId } from '../util/build-id.js';
import { fingerprintFolders, watchFolders, type FolderWatch } from './watch-folders.js';
import { createChatInbound } from './chat-inbound.js';
import { handleTopicJob } from '../incidents/set-channel-topics.js';
import { handleUpdateJob } from '../incidents/post-update.js';
import { handleAcknowledgedJob } from '../incidents/update-ack-message.js';
import { createProviders, type Providers } from './create-providers.js';
import { loadSampleAlert } from './load-sample-alert.js';
import { secretsOf, redactionPaths } from './secrets.js';
import type { Metrics } from '../server/metrics.js';
import { createMetrics } from '../server/metrics.js';
import { logContextMixin } from '../util/log-context.js';
import { measureCalls } from './measure-calls.js';

/** Things tests and the simulator replace: time, outside services, the store. */
export interface RuntimeOverrides extends Partial<Providers> {
  clock?: Clock;
  store?: Store;
  log?: Logger;
  owner?: string;
  /** The build whose flow and playbook checks are cached in the data folder (default: the bundle's; none from the sources). */
  buildId?: string;
  /** Start the worker loop (the server does; the simulator drives it by hand). */
  startWorker?: boolean;
  workerConcurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  /** Use these flows instead of reading the flow folders (the simulator). */
  flows?: FlowCatalog;
  playbooks?: PlaybookLibrary;
  /** Watch the flow and playbook folders and reload on changes (default: when reading folders). */
  watch?: boolean;
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/** Wires Sidekick together from its configuration: store, chat, providers, engine, worker, flows. */
export async function createRuntime(config: SidekickConfig, overrides: RuntimeOverrides = {}) {
  const secrets = secretsOf(config);
  const log = overrides.log ?? pino({ level: config.log.level, redact: { paths: redactionPaths, censor: '[redacted]' }, mixin: logContextMixin }, destination({ dest: 2, sync: false }));
  const clock = overrides.clock ?? systemClock;
  const cwd = config.configDir;
  const dataDir = resolve(cwd, config.dataDir);
  const store = overrides.store ?? (await createStore({ databaseUrl: config.databaseUrl, dataDir, schema: config.databaseSchema }));
  const signingSecret = await store.initSetting('signing-secret', randomBytes(32).toString('hex'));
  const playbookDirs = playbookFolders(config);
  const flowDirs = () => flowFolders(config);
  const watched = [...flowDirs(), ...playbookDirs];
  const watching = overrides.watch ?? (!overrides.flows && !overrides.playbooks);
  // Taken before reading, so a change made while the folders are read is still noticed.
  const since = watching ? await fingerprintFolders(watched) : undefined;
  // Checks of unchanged flow and playbook files are not made again (flows/check-cache.ts).
  const checks = await CheckCache.open(join(dataDir, 'check-cache.json'), overrides.buildId ?? buildId());
  const initialPlaybooks: PlaybookLibrary = overrides.playbooks ?? (await loadPlaybooks(playbookDirs, undefined, checks));
  // Filled in once the flows are read, below; boxes ask for playbooks only when runs start.
  let reloader: FlowReloader | undefined;
  const currentPlaybooks = () => reloader?.current.playbooks ?? initialPlaybooks;
  const publicUrl = (config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`).replace(/\/$/, '');
  const live = new LiveEvents();
  const metrics: Metrics = createMetrics();

  const services = {
    store,
    clock,
    log,
    publicUrl,
    newId: () => randomUUID(),
    defaultChannel: config.chat.defaultChannel,
    httpTargets: config.http.allow?.map(parseHttpTarget),
    signer: createSigner(signingSecret),
    get playbooks() {
      return currentPlaybooks();
    },
  } as Services;
  const providers = await createProviders(config, { store, clock, log, live, publicUrl, dataDir, signingSecret, overrides });
  Object.assign(services, providers);
  // What boxes call outside is timed per service and operation (the inbound side keeps the raw ones).
  const observeCall = metrics.observeCall;
  services.chat = measureCalls(providers.chat, observeCall);
  if (providers.chats) services.chats = Object.fromEntries(Object.entries(providers.chats).map(([name, chat]) => [name, chat === providers.chat ? services.chat : measureCalls(chat, observeCall)]));
  services.meetings = measureCalls(providers.meetings, observeCall);
  services.fallbackMeetings = measureCalls(providers.fallbackMeetings, observeCall);
  services.tracker = measureCalls(providers.tracker, observeCall);
  if (providers.graphs) services.graphs = measureCalls(providers.graphs, observeCall);

  let worker: Worker | undefined;
  const engine = new Engine(services, live, {
    wake: () => worker?.wake(),
    handoff: () => worker?.handoff(),
    onBoxRun: (boxType, outcome, ms) => metrics.observeBox(boxType, outcome, ms),
  });
  const { grouping } = config.alerts;
  const incidents = new IncidentService(services, engine, () => reloader!.current.catalog, live, {
    flapWindowMs: grouping.flapWindow,
    digestIntervalMs: grouping.digestInterval,
    resolveWhen: grouping.resolveWhen,
    storm: { maxNewIncidents: grouping.storm.maxNewIncidents, windowMs: grouping.storm.window },
  });
  services.incidents = incidents;
  // The report's renderer and the AI drafting load with the first report, not with the server.
  services.renderReport = async (incidentId, options) =>
    (await import('./build-report.js')).buildReport(services, incidentId, { template: config.report.template, secrets, cwd, ai: config.ai, redraft: options?.redraft });
  const inbound = createChatInbound({ engine, incidents, services, live });
  await providers.connectInbound?.(inbound, incidents);

  const readFlows = (playbooks: PlaybookLibrary, previous?: FlowCatalog) => loadFlows(flowDirs(), { playbooks, loadSample: loadSampleAlert, cwd, previous, cache: checks });
  const initialCatalog = overrides.flows ?? (await readFlows(initialPlaybooks));
  await checks?.save();
  reloader = new FlowReloader(
    { catalog: initialCatalog, playbooks: initialPlaybooks },
    async (previous) => {
      // Playbooks first: the flows are checked against the playbooks they will use.
      const playbooks = overrides.playbooks ?? (await loadPlaybooks(playbookDirs, previous.playbooks, checks));
      const catalog = overrides.flows ?? (await readFlows(playbooks, previous.catalog));
      await checks?.save();
      return { playbooks, catalog };
    },
    log,
  );
  const flowReloader = reloader;
  // Each instance watches its own disk; runs in flight keep their flow (runs.flow), whatever changes.
  const watch: FolderWatch | undefined = watching
    ? watchFolders(watched, () => flowReloader.reload(), { since, onError: (error) => log.warn({ err: error }, 'watching the flow and playbook folders failed; changes are still found by polling') })
    : undefined;

  worker = new Worker({
    store,
    clock,
    log,
    owner: overrides.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    concurrency: overrides.workerConcurrency ?? config.worker.concurrency,
    pollMs: overrides.pollMs ?? config.worker.pollMs,
    leaseMs: overrides.leaseMs ?? config.worker.leaseMs,
    handlers: {
      alert: (job) => incidents.handleAlertJob(job),
      task: (job) => engine.handleTaskJob(job),
      event: (job) => incidents.handleEventJob(job),
      digest: (job) => incidents.handleDigestJob(job),
      topic: (job) => handleTopicJob(services, job),
      acknowledged: (job) => handleAcknowledgedJob(services, job),
      update: (job) => handleUpdateJob(services, job),
    },
    onJobDone: (job, outcome, ms) => metrics.observeJob(job.kind, outcome, ms),
  });
  if (overrides.startWorker !== false) worker.start();

  return {
    config,
    store,
    services,
    engine,
    incidents,
    worker,
    live,
    inbound,
    metrics,
    providers,
    publicUrl,
    flowDirs,
    playbookDirs: () => [...playbookDirs],
    get flows(): FlowCatalog {
      return flowReloader.current.catalog;
    },
    get playbooks(): PlaybookLibrary {
      return flowReloader.current.playbooks;
    },
    /** Reads flows and playbooks again (the editor saved, or the folders changed); runs in flight keep their version. */
    reload(): Promise<void> {
      return flowReloader.reload();
    },
    async close(): Promise<void> {
      watch?.close();
      await worker?.stop({ deadlineMs: config.worker.shutdownMs });
      await providers.close?.();
      if (!overrides.store) await store.close();
      log.flush?.();
    },
  };
}
