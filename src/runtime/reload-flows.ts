import type { Logger } from 'pino';
import type { FlowCatalog } from '../flows/flow-catalog.js';
import { formatProblem, type FlowProblem } from '../flows/flow-problem.js';
import { hashFlow } from '../flows/hash-flow.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';
import { isPlaybookWarning } from '../playbooks/playbook-problems.js';

/** The flows and playbooks in service, swapped whole on every reload. */
export interface FlowState {
  catalog: FlowCatalog;
  playbooks: PlaybookLibrary;
}

/**
 * Keeps the flows and playbooks in service current: each reload reads the folders again (keeping
 * the previous version of a file that broke), swaps the state whole, and logs what changed and
 * every new problem with its file and line. Reloads run one at a time, in the order asked.
 * Runs in flight are not touched: a run holds its own copy of its flow (`runs.flow`).
 */
export class FlowReloader {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private state: FlowState,
    private readonly read: (previous: FlowState) => Promise<FlowState>,
    private readonly log: Logger,
  ) {}

  get current(): FlowState {
    return this.state;
  }

  /** Reads the folders again; resolves once the new state is in service. */
  reload(): Promise<void> {
    this.chain = this.chain.then(
      () => this.once(),
      () => this.once(),
    );
    return this.chain;
  }

  private async once(): Promise<void> {
    const before = this.state;
    const after = await this.read(before);
    this.state = after;
    logChanges(this.log, before, after);
  }
}

/** Problems of flows and playbooks alike, with a severity, as `validate` prints them. */
export function allProblems(state: FlowState): FlowProblem[] {
  return [...state.catalog.problems, ...state.playbooks.problems().map((p) => ({ ...p, severity: isPlaybookWarning(p) ? ('warning' as const) : ('error' as const) }))];
}

function logChanges(log: Logger, before: FlowState, after: FlowState): void {
  const versions = (catalog: FlowCatalog) => new Map(catalog.flows.map((loaded) => [loaded.flow.id, hashFlow(loaded.flow)]));
  const old = versions(before.catalog);
  const now = versions(after.catalog);
  const added = [...now.keys()].filter((id) => !old.has(id));
  const removed = [...old.keys()].filter((id) => !now.has(id));
  const changed = [...now.keys()].filter((id) => old.has(id) && old.get(id) !== now.get(id));
  const playbookText = (library: PlaybookLibrary) => new Map(library.list().map((playbook) => [playbook.id, JSON.stringify(playbook)]));
  const oldBooks = playbookText(before.playbooks);
  const newBooks = playbookText(after.playbooks);
  const playbooks = {
    added: [...newBooks.keys()].filter((id) => !oldBooks.has(id)),
    removed: [...oldBooks.keys()].filter((id) => !newBooks.has(id)),
    changed: [...newBooks.keys()].filter((id) => oldBooks.has(id) && oldBooks.get(id) !== newBooks.get(id)),
  };
  if (added.length + removed.length + changed.length > 0) log.info({ added, changed, removed }, 'flows reloaded; runs in flight keep the version they started with');
  if (playbooks.added.length + playbooks.removed.length + playbooks.changed.length > 0) log.info(playbooks, 'playbooks reloaded');
  const seen = new Set(allProblems(before).map(formatProblem));
  for (const problem of allProblems(after)) {
    if (!seen.has(formatProblem(problem))) log.warn({ problem }, formatProblem(problem));
  }
  const keptBefore = new Set(before.catalog.flows.filter((loaded) => loaded.kept).map((loaded) => loaded.flow.id));
  for (const loaded of after.catalog.flows) {
    if (loaded.kept && !keptBefore.has(loaded.flow.id))
      log.warn({ flowId: loaded.flow.id, file: loaded.file }, `${loaded.file} has errors; flow "${loaded.flow.id}" keeps running its previous version until they are fixed`);
  }
  const keptBooks = new Set(before.playbooks.kept?.() ?? []);
  for (const id of after.playbooks.kept?.() ?? []) {
    if (!keptBooks.has(id)) log.warn({ playbookId: id, file: after.playbooks.get(id)?.file }, `the file of playbook "${id}" has errors; its previous version stays in use until they are fixed`);
  }
}
