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

export interface FlowCheckOptions {
  playbooks?: PlaybookLibrary;
  /** Reads a flow's sample alert (source name and file path) into the alert model. */
  loadSample?(source: string, path: string): Promise<NormalisedAlert>;
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
      const checked = await checkFlowText(text, path, options);
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

/** Puts back the flow a now-broken file held before (in folder order, so precedence holds). */
function keepPrevious(byId: Map<string, LoadedFlow>, previous: FlowCatalog | undefined, path: string): void {
  const before = previous?.flows.find((loaded) => loaded.file === path);
  if (before) byId.set(before.flow.id, { ...before, kept: true });
}
