import type { FlowDefinition } from './flow-schema.js';
import type { FlowProblem } from './flow-problem.js';
import { matchesTrigger, type MatchSubject } from './match-trigger.js';

/** A flow as loaded from its file. */
export interface LoadedFlow {
  flow: FlowDefinition;
  /** Absolute path of the file it was read from. */
  file: string;
  /** The file is broken now: this is the version read before, still in service until it is fixed. */
  kept?: boolean;
}

/** The flows that loaded cleanly, and the problems of those that did not. Swapped whole on reload. */
export class FlowCatalog {
  constructor(
    readonly flows: LoadedFlow[],
    readonly problems: FlowProblem[],
  ) {}

  get(id: string): LoadedFlow | undefined {
    return this.flows.find((loaded) => loaded.flow.id === id);
  }

  /**
   * The flows an event starts: of those whose trigger matches, only the highest priority runs, so
   * a specific flow (MySQL replication) takes precedence over the catch-all.
   */
  matching(on: string, subject: MatchSubject): FlowDefinition[] {
    const candidates = this.flows.map((loaded) => loaded.flow).filter((flow) => flow.enabled && flow.trigger.on === on && matchesTrigger(flow.trigger, subject));
    if (candidates.length === 0) return [];
    const top = Math.max(...candidates.map((flow) => flow.trigger.priority));
    return candidates.filter((flow) => flow.trigger.priority === top);
  }
}
