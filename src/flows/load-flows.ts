import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { NormalisedAlert } from '../alerts/alert.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';
import { parseFlow } from './parse-flow.js';
import { inspectFlow } from './inspect-flow.js';
import { FlowCatalog, type LoadedFlow } from './flow-catalog.js';
import type { FlowDefinition } from './flow-schema.js';
import type { FlowProblem } from './flow-problem.js';
import { sampleScope } from './build-scope.js';
import { isFlowFileName, resolveSample } from './resolve-paths.js';
import type { CheckCache } from './check-cache.js';

export interface FlowCheckOptions {
  playbooks?: PlaybookLibrary;
  /** Reads a flow's sample alert (source name and file path) into the alert model. */
  loadSample?(source: string, path: string): Promise<NormalisedAlert>;
  /** Results of earlier checks of the same inputs (flows/check-cache.ts). */
  cache?: CheckCache;
}

/** Checks one flow file's text: schema, graph and templates (against its sample alert, when it names one). */
export async function checkFlowText(text: string, file: string, options: FlowCheckOptions): Promise<{ flow?: FlowDefinition; problems: FlowProblem[] }> {
  const parsed = parseFlow(text, file);
  if (!parsed.flow) return { problems: parsed.problems };
  const problems = [...parsed.problems];
  let scope: Record<string, unknown> | undefined;
  if (parsed.flow.sample && options.loadSample) {
    const samplePath = resolveSample(file, parsed.flow.sample.file);
    try {
      scope = sampleScope(parsed.flow, await options.loadSample(parsed.flow.sample.source, samplePath));
    } catch (error) {
      problems.push({
        code: 'FLOW_SAMPLE',
        message: `the sample alert ${parsed.flow.sample.file} could not be read as ${parsed.flow.sample.source}: ${(error as Error).message}`,
        file,
        line: parsed.lineOf(['sample']),
        severity: 'error',
      });
    }
  }
  problems.push(...inspectFlow(parsed.flow, { file, lineOf: parsed.lineOf, playbooks: options.playbooks, sampleScope: scope }));
  return { flow: parsed.flow, problems };
}

/**
 * Loads every `*.yaml`/`*.yml` flow in the folders, in order: a later folder's flow replaces an
 * earlier one with the same id (your flows over the bundled examples). A broken flow is left out
 * with its problems reported; it never stops the good flows from loading. With `previous` (a
 * reload), a file that is still there but now broken keeps the flow it held before, marked `kept`,
 * so a typo saved to disk never takes a working flow out of service.
 */
export async function loadFlows(dirs: string[], options: FlowCheckOptions & { cwd?: string; previous?: FlowCatalog } = {}): Promise<FlowCatalog> {
  const byId = new Map<string, LoadedFlow>();
  const problems: FlowProblem[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter(isFlowFileName).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      problems.push({ code: 'FLOW_DIR_UNREADABLE', message: (error as Error).message, file: dir, line: 1, severity: 'error' });
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      const file = relative(options.cwd ?? process.cwd(), path) || path;
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        problems.push({ code: 'FLOW_UNREADABLE', message: (error as Error).message, file, line: 1, severity: 'error' });
        keepPrevious(byId, options.previous, path);
        continue;
      }
      const checked = await checkFlowFile(text, path, options);
      const relativeProblems = checked.problems.map((problem) => ({ ...problem, file }));
      problems.push(...relativeProblems);
      if (checked.flow && !relativeProblems.some((problem) => problem.severity === 'error')) {
        byId.set(checked.flow.id, { flow: checked.flow, file: path });
      } else {
        keepPrevious(byId, options.previous, path);
      }
    }
  }
  return new FlowCatalog([...byId.values()], problems);
}

type FlowCheck = Awaited<ReturnType<typeof checkFlowText>>;

/** A flow file's check as cached: with the sample alert it read, to tell when that file changed. */
interface CachedFlowCheck {
  checked: FlowCheck;
  sample?: { path: string; hash: string };
}

/**
 * `checkFlowText`, answered from the cache when the flow's text and path, the playbooks and its
 * sample alert's file are all as they were when it was checked.
 */
async function checkFlowFile(text: string, path: string, options: FlowCheckOptions): Promise<FlowCheck> {
  const { cache } = options;
  if (!cache) return checkFlowText(text, path, options);
  const key = cache.key('flow', path, text, playbooksFingerprint(options.playbooks));
  const hit = cache.get<CachedFlowCheck>(key);
  if (hit && sameSample(hit.sample, await sampleOf(path, hit.checked.flow))) return hit.checked;
  const checked = await checkFlowText(text, path, options);
  const sample = await sampleOf(path, checked.flow);
  cache.set(key, { checked, ...(sample ? { sample } : {}) } satisfies CachedFlowCheck);
  return checked;
}

/** The sample alert file a flow reads, with a hash of its text (a file that cannot be read hashes as such). */
async function sampleOf(flowFile: string, flow: FlowDefinition | undefined): Promise<CachedFlowCheck['sample']> {
  if (!flow?.sample) return undefined;
  const path = resolveSample(flowFile, flow.sample.file);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return { path, hash: text === undefined ? 'unreadable' : createHash('sha256').update(text).digest('base64url') };
}

function sameSample(a: CachedFlowCheck['sample'], b: CachedFlowCheck['sample']): boolean {
  return a?.path === b?.path && a?.hash === b?.hash;
}

const fingerprints = new WeakMap<PlaybookLibrary, string>();

/** A hash of the playbooks a flow is checked against (a flow's check reads their pages and choices). */
function playbooksFingerprint(playbooks: PlaybookLibrary | undefined): string {
  if (!playbooks) return 'none';
  let fingerprint = fingerprints.get(playbooks);
  if (!fingerprint) {
    fingerprint = createHash('sha256').update(JSON.stringify(playbooks.list())).digest('base64url');
    fingerprints.set(playbooks, fingerprint);
  }
  return fingerprint;
}

/** Puts back the flow a now-broken file held before (in folder order, so precedence holds). */
function keepPrevious(byId: Map<string, LoadedFlow>, previous: FlowCatalog | undefined, path: string): void {
  const before = previous?.flows.find((loaded) => loaded.file === path);
  if (before) byId.set(before.flow.id, { ...before, kept: true });
}
