import { Session } from 'node:inspector/promises';

/** Where CPU time went while the profiler ran, already summarised (a raw profile is megabytes). */
export interface ProfileSummary {
  /** Milliseconds on the CPU (idle excluded). */
  busyMs: number;
  wallMs: number;
  /** Self time by part of the program, largest first, with its share of the busy time. */
  byPart: { part: string; ms: number; share: number }[];
  /** The functions with the most self time. */
  topFunctions: { name: string; where: string; ms: number; share: number }[];
  /**
   * Time charged to the nearest Sidekick function (src/) up the stack: a native SQLite call or a
   * Kysely compile counts against the query function of ours that made it, which is what an owner
   * can change.
   */
  bySidekickCaller: { name: string; where: string; ms: number; share: number }[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A sampling CPU profiler on this process (node:inspector), stopped into a summary. */
export class CpuProfiler {
  private session?: Session;

  async start(intervalUs = 200): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.session.post('Profiler.start');
  }

  async stop(root: string): Promise<ProfileSummary> {
    if (!this.session) throw new Error('the profiler was not started');
    const { profile } = (await this.session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    await this.session.post('Profiler.disable');
    this.session.disconnect();
    this.session = undefined;
    return summariseProfile(profile, root);
  }
}

/** Self time per node, then grouped by part of the program and by function. */
export function summariseProfile(profile: CpuProfile, root: string): ProfileSummary {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the gap until the next sample, so delta i+1 belongs to sample i.
  for (let i = 0; i < samples.length; i++) {
    const us = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, us));
  }
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const parts = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const callers = new Map<string, { name: string; where: string; us: number }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byNode.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    busyUs += us;
    const part = partOf(frame, root);
    parts.set(part, (parts.get(part) ?? 0) + us);
    const where = frame.url ? `${shorten(frame.url, root)}:${frame.lineNumber + 1}` : part;
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const caller = sidekickCaller(id, byNode, parent, root) ?? { name: `(no Sidekick frame: ${part})`, where: '' };
    const callerKey = `${caller.name}@${caller.where}`;
    const charged = callers.get(callerKey) ?? { ...caller, us: 0 };
    charged.us += us;
    callers.set(callerKey, charged);
  }
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  return {
    busyMs: busyUs / 1000,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    byPart: [...parts.entries()].map(([part, us]) => ({ part, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
    topFunctions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((entry) => ({ name: entry.name, where: entry.where, ms: entry.us / 1000, share: share(entry.us) })),
    bySidekickCaller: [...callers.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((entry) => ({ name: entry.name, where: entry.where, ms: entry.us / 1000, share: share(entry.us) })),
  };
}

/** Store plumbing every query passes through: charging time to it would say nothing. */
const PLUMBING = /^src\/store\/(replace-nul-dialect\.ts|sqlite\/|postgres\/)/;

/** The first frame at or above a node whose script is in the repository's src/ (plumbing skipped). */
function sidekickCaller(id: number, byNode: Map<number, ProfileNode>, parent: Map<number, number>, root: string): { name: string; where: string } | undefined {
  for (let at: number | undefined = id, depth = 0; at !== undefined && depth < 500; at = parent.get(at), depth++) {
    const frame = byNode.get(at)?.callFrame;
    if (!frame?.url) continue;
    const path = shorten(frame.url, root);
    if (path.startsWith('src/') && !PLUMBING.test(path)) return { name: frame.functionName || '(anonymous)', where: `${path}:${frame.lineNumber + 1}` };
  }
  return undefined;
}

/** Names the part of the program a frame belongs to: a Sidekick folder, a dependency, or Node itself. */
export function partOf(frame: { functionName: string; url: string }, root: string): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8/Node internals (program)';
    // Native functions have no script: better-sqlite3's statements, crypto, JSON, …
    return `native: ${functionName || '(anonymous)'}`;
  }
  const path = shorten(url, root);
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return dependency[1]!;
  const own = /^(src|bench|test)\/([^/]+)/.exec(path);
  if (own) return own[1] === 'src' ? `src/${own[2]}` : own[1] === 'bench' ? 'bench (the benchmark\u2019s own timing hooks)' : own[1]!;
  if (path.startsWith('node:')) return `node:${path.slice(5).split('/')[0] === 'internal' ? path.slice(5).split('/')[1] : path.slice(5).split('/')[0]}`;
  return path;
}

function shorten(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const rootSlash = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(rootSlash) ? path.slice(rootSlash.length) : path;
}
