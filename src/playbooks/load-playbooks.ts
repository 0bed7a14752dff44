import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Playbook, PlaybookLibrary, PlaybookProblem } from './playbook.js';
import { MAX_PLAYBOOK_CHARS, parsePlaybook } from './parse-playbook.js';
import type { CheckCache } from '../flows/check-cache.js';
import { isPlaybookWarning, makeProblem, PLAYBOOK_PROBLEM_CODES as CODES } from './playbook-problems.js';

interface LoadedFile {
  id: string;
  playbook?: Playbook;
  problems: PlaybookProblem[];
  /** The file is broken now; `playbook` is the version read before. */
  kept?: boolean;
}

/**
 * Reads every `*.md` file of the given folders as a playbook; the id is the file name without
 * `.md`, and a later folder wins over an earlier one (`playbooks/` over `examples/playbooks/`).
 * Never throws: unreadable files and broken playbooks become problems. With `previous` (a reload),
 * a file that is still there but now unusable or newly in error keeps the playbook it held before.
 */
export async function loadPlaybooks(dirs: string[], previous?: PlaybookLibrary, cache?: CheckCache): Promise<PlaybookLibrary> {
  const byId = new Map<string, LoadedFile>();
  const folderProblems: PlaybookProblem[] = [];
  for (const dir of dirs) {
    const files = await listMarkdownFiles(dir, folderProblems);
    const loaded = await Promise.all(files.map(async (file) => keepPrevious(await loadFile(file, cache), file, previous)));
    // Overriding drops the earlier file's problems too: it is no longer in use.
    for (const entry of loaded) byId.set(entry.id, entry);
  }
  return makeLibrary([...byId.values()], folderProblems);
}

async function listMarkdownFiles(dir: string, problems: PlaybookProblem[]): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => !entry.isDirectory() && extname(entry.name) === '.md' && !entry.name.startsWith('.'))
      .map((entry) => join(dir, entry.name))
      .sort();
  } catch (error) {
    // A folder that does not exist is normal (no user playbooks yet); anything else is worth saying.
    if (errorCode(error) !== 'ENOENT') {
      problems.push(makeProblem(dir, 1, CODES.unreadable, `the playbook folder cannot be read (${errorCode(error) ?? 'unknown error'}); check that it is a readable directory.`));
    }
    return [];
  }
}

async function loadFile(file: string, cache: CheckCache | undefined): Promise<LoadedFile> {
  const id = basename(file, '.md');
  try {
    const info = await stat(file);
    if (!info.isFile()) return unreadable(id, file, 'it is not a regular file');
    // Checked before reading so that a huge file is never pulled into memory (UTF-8: ≥1 byte a char).
    if (info.size > MAX_PLAYBOOK_CHARS * 4) {
      return { id, problems: [makeProblem(file, 1, CODES.tooLarge, `the file has ${info.size} bytes; playbooks are limited to ${MAX_PLAYBOOK_CHARS} characters. Split it into several playbooks.`)] };
    }
    const markdown = await readFile(file, 'utf8');
    return { id, ...parseCached(markdown, file, id, cache) };
  } catch (error) {
    return unreadable(id, file, errorCode(error) ?? 'unknown error');
  }
}

/** `parsePlaybook`, answered from the cache when the file's text and path are as they were. */
function parseCached(markdown: string, file: string, id: string, cache: CheckCache | undefined): ReturnType<typeof parsePlaybook> {
  if (!cache) return parsePlaybook(markdown, file, id);
  const key = cache.key('playbook', file, id, markdown);
  const hit = cache.get<ReturnType<typeof parsePlaybook>>(key);
  if (hit) return hit;
  const parsed = parsePlaybook(markdown, file, id);
  cache.set(key, parsed);
  return parsed;
}

/**
 * The playbook a file held before, when its new text lost it (it no longer parses) or brought
 * errors the previous one did not have; the new problems are still reported.
 */
function keepPrevious(entry: LoadedFile, file: string, previous: PlaybookLibrary | undefined): LoadedFile {
  const before = previous?.list().find((playbook) => playbook.file === file);
  if (!before) return entry;
  const hasErrors = (problems: PlaybookProblem[]) => problems.some((problem) => !isPlaybookWarning(problem));
  // A kept playbook is the good one in use, whatever the problems of the broken file beside it.
  const errorsBefore = !previous!.kept?.().includes(before.id) && hasErrors(previous!.problems().filter((problem) => problem.file === file));
  if (entry.playbook && (!hasErrors(entry.problems) || errorsBefore)) return entry;
  return { ...entry, playbook: before, kept: true };
}

function unreadable(id: string, file: string, reason: string): LoadedFile {
  return { id, problems: [makeProblem(file, 1, CODES.unreadable, `the playbook cannot be read (${reason}); check the file's permissions.`)] };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function makeLibrary(files: LoadedFile[], folderProblems: PlaybookProblem[]): PlaybookLibrary {
  const playbooks = new Map<string, Playbook>();
  for (const file of files) if (file.playbook) playbooks.set(file.id, file.playbook);
  const sorted = [...playbooks.values()].sort((a, b) => a.id.localeCompare(b.id));
  const problems = [...folderProblems, ...files.flatMap((file) => file.problems)];
  const kept = files.filter((file) => file.kept && playbooks.get(file.id) === file.playbook).map((file) => file.id);
  return {
    get: (id) => playbooks.get(id),
    list: () => [...sorted],
    problems: () => [...problems],
    kept: () => [...kept],
  };
}
