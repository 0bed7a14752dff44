import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The layout of the cache file; a file of another layout is ignored (and rewritten). */
const LAYOUT = 1;

/**
 * What checking the flow and playbook files found, kept across starts in the data folder. Each
 * result is filed under a hash of everything the check read (the file's path and text, the
 * playbooks a flow was checked against) and of the code that checked it (the build's id, so a
 * different Sidekick never reads another's results). A start whose files did not change skips
 * parsing and inspecting them — after loading the code, the largest part of a start — and a reload
 * after an edit checks only what changed.
 *
 * Running from the sources (tests, `npm run dev`) there is no build id, and nothing is cached.
 * The file is only ever a shortcut: unreadable, corrupt or unwritable, the checks simply run.
 */
export class CheckCache {
  /** The entries read this time (hits and fresh results): what the next save keeps. */
  private readonly used = new Map<string, unknown>();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly build: string,
    private readonly stored: Map<string, unknown>,
  ) {}

  /** Opens the cache at `file` for this build; undefined (no caching) without a build id. */
  static async open(file: string, build: string | undefined): Promise<CheckCache | undefined> {
    if (!build) return undefined;
    const stored = new Map<string, unknown>();
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as { layout?: unknown; build?: unknown; entries?: unknown };
      if (data.layout === LAYOUT && data.build === build && data.entries && typeof data.entries === 'object') {
        for (const [key, value] of Object.entries(data.entries as Record<string, unknown>)) stored.set(key, value);
      }
    } catch {
      // No file yet, or not one we can read: start empty.
    }
    return new CheckCache(file, build, stored);
  }

  /** The key for a check of these inputs by this build. */
  key(...inputs: string[]): string {
    const hash = createHash('sha256').update(this.build);
    // Length-prefixed, so that ("ab", "c") and ("a", "bc") never share a key.
    for (const input of inputs) hash.update(`\0${input.length}\0`).update(input);
    return hash.digest('base64url');
  }

  /** The result stored under `key`, as a copy of its own (callers may change what they get). */
  get<T>(key: string): T | undefined {
    const value = this.used.get(key) ?? this.stored.get(key);
    if (value === undefined) return undefined;
    this.used.set(key, value);
    return structuredClone(value) as T;
  }

  /** Files `value` under `key`; it is written with the next save. */
  set(key: string, value: unknown): void {
    // Stored as it will read back, so a hit and a fresh result look the same to callers.
    this.used.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    this.dirty = true;
  }

  /**
   * Writes the entries read or filed since the last save (so the file holds what the folders hold
   * now, not every version ever checked), when anything changed. Never throws: a cache that cannot
   * be written costs the next start its shortcut, nothing else.
   */
  async save(): Promise<boolean> {
    const dropped = [...this.stored.keys()].some((key) => !this.used.has(key));
    if (!this.dirty && !dropped) return true;
    const entries = Object.fromEntries(this.used);
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFile(temporary, JSON.stringify({ layout: LAYOUT, build: this.build, entries }), { mode: 0o600 });
      await rename(temporary, this.file);
    } catch {
      return false;
    }
    this.stored.clear();
    for (const [key, value] of this.used) this.stored.set(key, value);
    this.used.clear();
    this.dirty = false;
    return true;
  }
}
