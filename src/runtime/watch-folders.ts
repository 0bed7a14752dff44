import { existsSync, watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A running watch; `close` stops it (idempotent). */
export interface FolderWatch {
  close(): void;
}

export interface WatchOptions {
  /** Quiet time after an event before looking: an editor's save or a `git pull` is several events. */
  debounceMs?: number;
  /** How often to look even without events (network file systems and lost events send none). */
  pollMs?: number;
  /** Listen for file-system events (default); without, changes are found by the poll alone. */
  events?: boolean;
  /** The fingerprint the caller's current state was read at (`fingerprintFolders`, taken before reading). */
  since?: string;
  /** A failed change handler: reported, and the watch goes on. */
  onError?(error: unknown): void;
}

/**
 * Calls `onChange` when what the folders hold changes: a file added, deleted, renamed or written
 * (a symlink swap too, as Kubernetes does for ConfigMap volumes). `fs.watch` makes it quick; a
 * cheap fingerprint (names, sizes, modification times) decides whether anything really changed,
 * and a slow poll catches what events miss. A folder that does not exist yet is watched through
 * its nearest existing parent, so creating it is noticed too. Calls never overlap.
 */
export function watchFolders(folders: string[], onChange: () => Promise<void> | void, options: WatchOptions = {}): FolderWatch {
  const debounceMs = options.debounceMs ?? 100;
  const watchers = new Map<string, FSWatcher>();
  // Folders whose watcher could not be made, reported once each (the poll covers them).
  const failed = new Set<string>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let last = options.since;

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(look, debounceMs);
    timer.unref();
  };
  // One look at a time; a look asked for meanwhile makes the running one look again. The check
  // of `again` and the release of `running` happen in one synchronous step, so no ask is lost.
  const look = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void (async () => {
      try {
        do {
          again = false;
          const now = await fingerprintFolders(folders);
          if (closed) return;
          if (last !== undefined && now !== last) {
            last = now;
            try {
              await onChange();
            } catch (error) {
              options.onError?.(error);
            }
          }
          last = now;
          // A folder that appeared or vanished since the fingerprint moves a watcher, and the old
          // one's events are lost with it: look once more so nothing in between is missed.
          if (arm()) again = true;
        } while (again && !closed);
      } finally {
        running = false;
      }
    })();
  };
  // Watches each folder, or its nearest existing parent while it is missing; re-armed after every look.
  const arm = (): boolean => {
    if (options.events === false) return false;
    let moved = false;
    const targets = new Set(folders.map(nearestExisting).filter((target): target is string => target !== undefined));
    for (const [target, watcher] of watchers) {
      if (targets.has(target)) continue;
      watcher.close();
      watchers.delete(target);
      moved = true;
    }
    for (const target of targets) {
      if (watchers.has(target) || closed) continue;
      try {
        const watcher = watch(target, { persistent: false }, schedule);
        // A watched folder deleted or moved: drop the watcher, look again, re-arm on what exists.
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(target);
          schedule();
        });
        watchers.set(target, watcher);
        moved = true;
      } catch (error) {
        // Out of inotify watches (ENOSPC) or a file system without events: the poll still sees changes.
        if (!failed.has(target)) options.onError?.(error);
        failed.add(target);
      }
    }
    return moved;
  };

  // Watchers first, then a look: a change made before the watchers existed is found by the look.
  arm();
  look();
  const poll = setInterval(look, options.pollMs ?? 1000);
  poll.unref();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(poll);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function nearestExisting(folder: string): string | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (existsSync(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Names, sizes, modification times and inodes of what the folders hold (symlinks followed). */
export async function fingerprintFolders(folders: string[]): Promise<string> {
  const parts: string[] = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = (await readdir(folder)).sort();
    } catch (error) {
      parts.push(`${folder}:${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      continue;
    }
    parts.push(folder);
    for (const name of names) {
      const info = await stat(join(folder, name)).catch(() => undefined);
      parts.push(info ? `${name}:${info.size}:${info.mtimeMs}:${info.ino}` : `${name}:gone`);
    }
  }
  return parts.join('\n');
}
