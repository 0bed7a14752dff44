import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/**
 * Where flows, playbooks and sample alerts are found. The runtime, the file watcher, the editor's
 * API, `sidekick validate` and `sidekick simulate` all ask here, so a flow that validates also
 * simulates and runs, wherever it was saved.
 */

/** The parts of the configuration that say where flows and playbooks live. */
export interface FolderConfig {
  /** The folder relative paths are read from: the configuration file's folder (or the working folder). */
  configDir: string;
  flows: { dirs: string[]; examples: boolean };
  playbooks: { dirs: string[]; examples: boolean };
}

/** The bundled example flows, playbooks and alert payloads. */
export function examplesDir(): string {
  return join(packageRoot(), 'examples');
}

/** Flow folders in load order: the bundled examples (when enabled) first, so your flows win. */
export function flowFolders(config: FolderConfig): string[] {
  return [...(config.flows.examples ? [join(examplesDir(), 'flows')] : []), ...config.flows.dirs.map((dir) => resolve(config.configDir, dir))];
}

/** Playbook folders in load order: the bundled examples (when enabled) first, so your playbooks win. */
export function playbookFolders(config: FolderConfig): string[] {
  return [...(config.playbooks.examples ? [join(examplesDir(), 'playbooks')] : []), ...config.playbooks.dirs.map((dir) => resolve(config.configDir, dir))];
}

/** Names of the configuration file: never a flow, even in a folder of flows. */
const CONFIG_FILE_NAMES = new Set(['sidekick.yaml', 'sidekick.yml']);

/** Whether a file in a flow folder is a flow: `*.yaml`/`*.yml`, not hidden, not `sidekick.yaml`. */
export function isFlowFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith('.') && !CONFIG_FILE_NAMES.has(name.toLowerCase());
}

/**
 * The file a flow's `sample.file` names. It is relative to the flow file; a bundled example saved
 * into your folder by the editor keeps its `../alerts/…` path, so when nothing is there the
 * bundled examples' place for it (and then the package root) is used.
 */
export function resolveSample(flowFile: string, sample: string): string {
  const candidates = [resolve(dirname(flowFile), sample), resolve(examplesDir(), 'flows', sample), resolve(packageRoot(), sample)];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

/** The file of the flow with this id: `<id>.yaml`, then `<id>.yml`, from the last folder (the one that wins) to the first. */
export function findFlowById(id: string, folders: string[]): string | undefined {
  for (const folder of [...folders].reverse()) {
    for (const extension of ['yaml', 'yml']) {
      const file = join(folder, `${id}.${extension}`);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/** A flow file named by path (`flows/db.yaml`) or by id (`db`, looked up in the folders). */
export function findFlowFile(nameOrPath: string, folders: string[], cwd = process.cwd()): string | undefined {
  const direct = resolve(cwd, nameOrPath);
  if (/\.ya?ml$/i.test(nameOrPath) && existsSync(direct)) return direct;
  return findFlowById(basename(nameOrPath).replace(/\.ya?ml$/i, ''), folders);
}
