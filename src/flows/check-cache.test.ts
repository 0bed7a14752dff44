import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckCache } from './check-cache.js';
import { loadFlows } from './load-flows.js';
import { loadPlaybooks } from '../playbooks/load-playbooks.js';
import { loadSampleAlert } from '../runtime/load-sample-alert.js';

const examples = join(import.meta.dirname, '../../examples');
const MARK = { code: 'CACHED', message: 'read from the cache', file: 'x', line: 1, severity: 'warning' };

describe('CheckCache', () => {
  let dir: string;
  let cacheFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sidekick-check-cache-'));
    // The examples, copied so that the test can change them; flows read their samples from ../alerts.
    for (const folder of ['flows', 'playbooks', 'alerts']) cpSync(join(examples, folder), join(dir, folder), { recursive: true });
    cacheFile = join(dir, 'data', 'check-cache.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Loads playbooks then flows as a start does, with the cache of `build` (none without). */
  async function load(build?: string) {
    const cache = await CheckCache.open(cacheFile, build);
    const playbooks = await loadPlaybooks([join(dir, 'playbooks')], undefined, cache);
    const catalog = await loadFlows([join(dir, 'flows')], { playbooks, loadSample: loadSampleAlert, cache });
    await cache?.save();
    const marks = (problems: { code: string; message: string }[]) => [...new Set(problems.filter((problem) => problem.code === 'CACHED').map((problem) => problem.message))];
    const markedFlows = marks(catalog.problems);
    const markedPlaybooks = marks(playbooks.problems());
    return { catalog, playbooks, markedFlows: markedFlows.sort(), markedPlaybooks: markedPlaybooks.sort() };
  }

  /** Adds a problem no check makes to every stored result, so that answers from the cache show. */
  function markStoredResults(): void {
    const data = JSON.parse(readFileSync(cacheFile, 'utf8')) as {
      entries: Record<string, { checked?: { flow?: { id: string }; problems: unknown[] }; problems?: unknown[]; playbook?: { id: string } }>;
    };
    for (const entry of Object.values(data.entries)) {
      if (entry.checked) entry.checked.problems.push({ ...MARK, message: entry.checked.flow!.id });
      else entry.problems!.push({ ...MARK, message: entry.playbook!.id });
    }
    writeFileSync(cacheFile, JSON.stringify(data));
  }

  const allFlows = ['declared', 'disk-filling', 'http-5xx', 'mysql-replication', 'triage'];
  const allPlaybooks = ['disk-filling', 'generic-triage', 'http-5xx-surge', 'mysql-replication'];

  it('gives the flows, playbooks and problems that checking the files gives, on the first load and on the next', async () => {
    const checked = await load();
    const first = await load('build-1');
    const second = await load('build-1');
    for (const cached of [first, second]) {
      expect(cached.catalog.flows).toEqual(checked.catalog.flows);
      expect(cached.catalog.problems).toEqual(checked.catalog.problems);
      expect(cached.playbooks.list()).toEqual(checked.playbooks.list());
      expect(cached.playbooks.problems()).toEqual(checked.playbooks.problems());
    }
    expect(checked.catalog.flows.map((loaded) => loaded.flow.id).sort()).toEqual(allFlows);
  });

  it('answers unchanged files from the cache, and checks again a flow, sample or playbook that changed', async () => {
    await load('build-1');
    markStoredResults();
    const hits = await load('build-1');
    expect(hits.markedFlows).toEqual(allFlows);
    expect(hits.markedPlaybooks).toEqual(allPlaybooks);

    // The sample alert of http-5xx and triage changes: only those two flows are checked again.
    const sample = join(dir, 'alerts', 'alertmanager-http-5xx.json');
    writeFileSync(sample, JSON.stringify(JSON.parse(readFileSync(sample, 'utf8')), null, 4));
    expect((await load('build-1')).markedFlows).toEqual(allFlows.filter((id) => id !== 'http-5xx' && id !== 'triage'));

    // A flow's text changes: that flow.
    markStoredResults();
    appendFileSync(join(dir, 'flows', 'triage.yaml'), '\n# edited\n');
    expect((await load('build-1')).markedFlows).toEqual(allFlows.filter((id) => id !== 'triage'));

    // A playbook changes: that playbook, and every flow, since flows are checked against the playbooks.
    markStoredResults();
    appendFileSync(join(dir, 'playbooks', 'disk-filling.md'), '\nOne more line.\n');
    const after = await load('build-1');
    expect(after.markedPlaybooks).toEqual(allPlaybooks.filter((id) => id !== 'disk-filling'));
    expect(after.markedFlows).toEqual([]);
  });

  it('never reads the results of another build, and checks as usual with no build id or a broken file', async () => {
    await load('build-1');
    markStoredResults();
    expect((await load('build-2')).markedFlows).toEqual([]);
    expect(await CheckCache.open(cacheFile, undefined)).toBeUndefined();
    writeFileSync(cacheFile, '{"layout":1,"build":"build-2","entr');
    const broken = await load('build-2');
    expect(broken.catalog.flows).toHaveLength(allFlows.length);
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toMatchObject({ layout: 1, build: 'build-2' });
  });

  it('keeps only the results of the files the folders hold now', async () => {
    await load('build-1');
    const before = Object.keys((JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: object }).entries).length;
    unlinkSync(join(dir, 'flows', 'triage.yaml'));
    await load('build-1');
    const after = Object.keys((JSON.parse(readFileSync(cacheFile, 'utf8')) as { entries: object }).entries).length;
    expect(before).toBe(allFlows.length + allPlaybooks.length);
    expect(after).toBe(before - 1);
  });

  it('gives the results back as copies, and a cache that cannot be written costs nothing but the shortcut', async () => {
    const cache = (await CheckCache.open(join('/dev/null', 'cache.json'), 'build-1'))!;
    const key = cache.key('flow', 'a.yaml', 'text');
    cache.set(key, { problems: [] });
    const copy = cache.get<{ problems: unknown[] }>(key)!;
    copy.problems.push(MARK);
    expect(cache.get(key)).toEqual({ problems: [] });
    expect(cache.key('ab', 'c')).not.toBe(cache.key('a', 'bc'));
    await expect(cache.save()).resolves.toBe(false);
  });
});
