import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarkdownFileTracker, fileNameOf } from '../../src/trackers/markdown/markdown-file.js';
import { TrackerError } from '../../src/trackers/tracker-error.js';
import { renderReport } from '../../src/report/render-report.js';
import { storyReportData } from '../report/fixtures/story-incident.js';

describe('MarkdownFileTracker', () => {
  let root: string;
  let dir: string;
  const make = () => new MarkdownFileTracker({ dir, publicUrl: 'https://sidekick.example.com/' });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sidekick-reports-'));
    dir = join(root, 'reports');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes INC-<n>-<slug>.md and links to the live report', async () => {
    const body = renderReport(storyReportData());
    const filed = await make().file({ incidentId: 'inc_7f3c', title: '[INC-42] MySQL replication lag', body });
    expect(filed).toEqual({ tracker: 'markdown', id: 'INC-42-mysql-replication-lag.md', url: 'https://sidekick.example.com/api/incidents/inc_7f3c/report' });
    const text = await readFile(join(dir, filed.id), 'utf8');
    expect(text).toBe(`<!-- sidekick:incident=inc_7f3c part=0 -->\n${body}`);
    expect(await readdir(dir)).toEqual(['INC-42-mysql-replication-lag.md']);
  });

  it('overwrites on re-filing, follows a renamed incident, and keeps what people wrote', async () => {
    const body = renderReport(storyReportData());
    const first = await make().file({ incidentId: 'inc_7f3c', title: '[INC-42] MySQL lag', body });
    const path = join(dir, first.id);
    await writeFile(path, (await readFile(path, 'utf8')).replace(/## Summary\n\n.*\n/, '## Summary\n\nThe tunnel flapped.\n'));
    // A new process without `existing`, and the incident got a better title meanwhile.
    const second = await make().file({ incidentId: 'inc_7f3c', title: '[INC-42] Tunnel between sites flapping', body: body.replace('alice, bob', 'alice, bob, erin') });
    expect(second.id).toBe('INC-42-tunnel-between-sites-flapping.md');
    expect(await readdir(dir)).toEqual([second.id]);
    const text = await readFile(join(dir, second.id), 'utf8');
    expect(text).toContain('The tunnel flapped.');
    expect(text).toContain('alice, bob, erin');
  });

  it('keeps incidents apart', async () => {
    await make().file({ incidentId: 'a', title: '[INC-1] A', body: 'a' });
    await make().file({ incidentId: 'b', title: '[INC-2] B', body: 'b' });
    await make().file({ incidentId: 'a', title: '[INC-1] A', body: 'a2' });
    expect((await readdir(dir)).sort()).toEqual(['INC-1-a.md', 'INC-2-b.md']);
    expect(await readFile(join(dir, 'INC-2-b.md'), 'utf8')).toContain('\nb\n');
  });

  it('never writes outside its folder, whatever the title or a forged `existing` says', async () => {
    await writeFile(join(root, 'victim.md'), 'do not touch');
    const titles = ['../../etc/passwd', '[INC-7] ../../../victim', '\u0000\n/..', 'INC-99999999999999999 x', '🔥🔥🔥'];
    for (const title of titles) await make().file({ incidentId: title, title, body: 'x', existing: { tracker: 'markdown', id: '../victim.md', url: '' } });
    expect(await readFile(join(root, 'victim.md'), 'utf8')).toBe('do not touch');
    for (const name of await readdir(dir)) expect(name).toMatch(/^[A-Za-z0-9-]+\.md$/);
  });

  it('names files from titles with or without a number', () => {
    expect(fileNameOf({ incidentId: 'x', title: 'INC-7: Disk full' })).toBe('INC-7-disk-full.md');
    expect(fileNameOf({ incidentId: 'inc_x', title: 'Disk full' })).toBe('incident-inc-x-disk-full.md');
    expect(fileNameOf({ incidentId: '', title: '' })).toBe('incident-x-incident.md');
  });

  it('fails with a transient TRACKER_WRITE_FAILED when the folder cannot be written', async () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere; make the path a file instead of a folder.
      await writeFile(dir, 'not a folder');
    } else {
      await writeFile(join(root, 'x'), '');
      await chmod(root, 0o500);
    }
    const error = (await make()
      .file({ incidentId: 'a', title: 'A', body: 'a' })
      .catch((e: unknown) => e)) as TrackerError;
    await chmod(root, 0o700);
    expect(error).toBeInstanceOf(TrackerError);
    expect(error.code).toBe('TRACKER_WRITE_FAILED');
    expect(error.details.transient).toBe(true);
  });
});
