import { mkdirSync, mkdtempSync, rmSync, symlinkSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprintFolders, watchFolders, type FolderWatch } from './watch-folders.js';

/** Waits until `check` holds; fails after 10 s (a condition, never a measured duration). */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in time (${String(check)}; changes: ${changes})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let changes = 0;

describe('watchFolders', () => {
  let dir: string;
  let watch: FolderWatch | undefined;
  const start = async (folders: string[], options: { pollMs?: number; events?: boolean } = {}) => {
    watch = watchFolders(folders, () => void changes++, { since: await fingerprintFolders(folders), pollMs: options.pollMs ?? 60_000, events: options.events });
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidekick-watch-'));
    changes = 0;
  });
  afterEach(() => {
    watch?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a file added, changed and deleted (by events, the poll set out of reach)', async () => {
    mkdirSync(join(dir, 'flows'));
    await start([join(dir, 'flows')]);
    writeFileSync(join(dir, 'flows', 'a.yaml'), 'id: a\n');
    await until(() => changes === 1);
    writeFileSync(join(dir, 'flows', 'a.yaml'), 'id: a\nname: longer\n');
    await until(() => changes === 2);
    rmSync(join(dir, 'flows', 'a.yaml'));
    await until(() => changes === 3);
  });

  it('sees a folder that did not exist when it started, and one deleted and made again', async () => {
    const flows = join(dir, 'later', 'flows');
    await start([flows]);
    mkdirSync(flows, { recursive: true });
    await until(() => changes === 1);
    writeFileSync(join(flows, 'a.yaml'), 'id: a\n');
    await until(() => changes === 2);
    rmSync(join(dir, 'later'), { recursive: true });
    await until(() => changes === 3);
    mkdirSync(flows, { recursive: true });
    writeFileSync(join(flows, 'b.yaml'), 'id: b\n');
    await until(() => changes >= 4);
  });

  it('sees a Kubernetes-style symlink swap of the whole folder content', async () => {
    const flows = join(dir, 'flows');
    mkdirSync(join(flows, '..v1'), { recursive: true });
    writeFileSync(join(flows, '..v1', 'a.yaml'), 'id: a\n');
    symlinkSync('..v1', join(flows, '..data'));
    symlinkSync('..data/a.yaml', join(flows, 'a.yaml'));
    await start([flows]);
    mkdirSync(join(flows, '..v2'));
    writeFileSync(join(flows, '..v2', 'a.yaml'), 'id: a\nname: second version\n');
    symlinkSync('..v2', join(flows, '..data_tmp'));
    renameSync(join(flows, '..data_tmp'), join(flows, '..data'));
    await until(() => changes >= 1);
  });

  it('finds changes by polling when no event comes', async () => {
    mkdirSync(join(dir, 'flows'));
    // No events, as on a network file system: only the poll can see the change.
    await start([join(dir, 'flows')], { pollMs: 50, events: false });
    const fingerprint = await fingerprintFolders([join(dir, 'flows')]);
    writeFileSync(join(dir, 'flows', 'a.yaml'), 'id: a\n');
    await until(() => changes >= 1);
    expect(await fingerprintFolders([join(dir, 'flows')])).not.toBe(fingerprint);
  });

  it('calls nothing when nothing changed and nothing after close', async () => {
    mkdirSync(join(dir, 'flows'));
    await start([join(dir, 'flows')], { pollMs: 20 });
    watch!.close();
    writeFileSync(join(dir, 'flows', 'a.yaml'), 'id: a\n');
    // Give a poll and an event every chance to fire; a closed watch must stay silent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(changes).toBe(0);
  });
});
