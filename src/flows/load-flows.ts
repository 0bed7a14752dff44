import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve, dirname, relative } from 'node:path';
import type { NormalisedAlert } from '../alerts/alert.js';
import type { PlaybookLibrary } from '../playbooks/playbook.js';
import { parseFlow } from './parse-flow.js';
import { inspectFlow } from './inspect-flow.js';
import { FlowCatalog, type LoadedFlow } from './flow-catalog.js';
import type { FlowDefinition } from './flow-schema.js';
import type { FlowProblem } from './flow-problem.js';
import { sampleScope } from './build-scope.js';
import { packageRoot } from '../util/package-root.js';

export interface FlowCheckOptions {
  playbooks?: PlaybookLibrary;
  /** Reads a flow's sample alert (source name and file path) into the alert model. */
  loadSample?(source: string, path: string): Promise<NormalisedAlert>;
}

/** Checks one flow file's text: schema, graph and templates (against its sample alert, when it names one). */
export async function checkFlowText(
  text: string,
  file: string,
  options: FlowCheckOptions,
): Promise<{ flow?: FlowDefinition; problems: FlowProblem[] }> {
  const parsed = parseFlow(text, file);
  if (!parsed.flow) return { problems: parsed.problems };
  const problems = [...parsed.problems];
  let scope: Record<string, unknown> | undefined;
  if (parsed.flow.sample && options.loadSample) {
    const samplePath = findSample(file, parsed.flow.sample.file);
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
 * Where a flow's sample lives: beside the flow file, or — for a bundled example saved into your
 * `flows/` by the editor — where the bundled examples keep theirs.
 */
function findSample(flowFile: string, sample: string): string {
  const candidates = [resolve(dirname(flowFile), sample), resolve(packageRoot(), 'examples/flows', sample), resolve(packageRoot(), sample)];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

/**
 * Loads every `*.yaml`/`*.yml` flow in the folders, in order: a later folder's flow replaces an
 * earlier one with the same id (your flows over the bundled examples). A broken flow is left out
 * with its problems reported; it never stops the good flows from loading.
 */
export async function loadFlows(dirs: string[], options: FlowCheckOptions & { cwd?: string } = {}): Promise<FlowCatalog> {
  const byId = new Map<string, LoadedFlow>();
  const problems: FlowProblem[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((name) => /\.ya?ml$/i.test(name)).sort();
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
        continue;
      }
      const checked = await checkFlowText(text, path, options);
      const relativeProblems = checked.problems.map((problem) => ({ ...problem, file }));
      problems.push(...relativeProblems);
      if (checked.flow && !relativeProblems.some((problem) => problem.severity === 'error')) {
        byId.set(checked.flow.id, { flow: checked.flow, file: path });
      }
    }
  }
  return new FlowCatalog([...byId.values()], problems);
}
