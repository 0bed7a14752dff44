import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlaybooks } from './load-playbooks.js';
import { MAX_PLAYBOOK_CHARS } from './parse-playbook.js';

let root: string;
let examples: string;
let user: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sidekick-playbooks-'));
  examples = join(root, 'examples');
  user = join(root, 'user');
  await mkdir(examples);
  await mkdir(user);
  await writeFile(join(examples, 'mysql.md'), '# Example MySQL\n\n## Start\n\ntext\n');
  await writeFile(join(examples, 'disk.md'), '# Disk\n\n## Start\n\n- [Nowhere](#nowhere)\n');
  await writeFile(join(examples, 'broken.md'), '# Only a title\n');
  await writeFile(join(examples, 'notes.txt'), '## Not a playbook\n');
  await writeFile(join(examples, '.hidden.md'), '## Editor swap file\n');
  await mkdir(join(examples, 'folder.md'));
  await writeFile(join(user, 'mysql.md'), '# Our MySQL\n\n## Start\n\ntext\n');
  await writeFile(join(user, 'disk.md'), '# Our disk\n\n## Start\n\ntext\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadPlaybooks', () => {
  it('reads *.md files by id, later folders overriding earlier ones and their problems', async () => {
    const library = await loadPlaybooks([examples, user]);
    expect(library.list().map((playbook) => [playbook.id, playbook.title])).toEqual([
      ['disk', 'Our disk'],
      ['mysql', 'Our MySQL'],
    ]);
    expect(library.get('mysql')?.file).toBe(join(user, 'mysql.md'));
    // disk.md's unknown page in examples/ is gone with it; broken.md has no pages and is not listed.
    expect(library.problems().map((problem) => [problem.code, problem.file])).toEqual([['PLAYBOOK_NO_PAGES', join(examples, 'broken.md')]]);
    expect(library.get('broken')).toBeUndefined();
    expect(library.get('notes')).toBeUndefined();
    expect(library.get('.hidden')).toBeUndefined();
    expect(library.get('__proto__')).toBeUndefined();
  });

  it('keeps problems of files in use', async () => {
    const library = await loadPlaybooks([examples]);
    expect(library.problems().map((problem) => [problem.code, problem.line])).toEqual([
      ['PLAYBOOK_NO_PAGES', 1],
      ['PLAYBOOK_UNKNOWN_PAGE', 5],
    ]);
    expect(library.get('disk')?.pages[0].choices).toEqual([]);
  });

  it('skips a folder that does not exist', async () => {
    const library = await loadPlaybooks([join(root, 'missing'), user]);
    expect(library.list()).toHaveLength(2);
    expect(library.problems()).toEqual([]);
  });

  it('reports a path that is a file, not a folder, without crashing', async () => {
    const library = await loadPlaybooks([join(user, 'mysql.md')]);
    expect(library.list()).toEqual([]);
    expect(library.problems()).toEqual([expect.objectContaining({ code: 'PLAYBOOK_UNREADABLE', file: join(user, 'mysql.md') })]);
  });

  it('reports unreadable, dangling and oversized files as problems and loads the rest', async () => {
    const dir = join(root, 'bad');
    await mkdir(dir);
    await writeFile(join(dir, 'good.md'), '## Start\n\ntext\n');
    await writeFile(join(dir, 'locked.md'), '## Start\n\ntext\n');
    await chmod(join(dir, 'locked.md'), 0o000);
    await symlink(join(dir, 'nowhere.md'), join(dir, 'dangling.md'));
    await writeFile(join(dir, 'huge.md'), `## Start\n\n${'x'.repeat(MAX_PLAYBOOK_CHARS)}`);
    const library = await loadPlaybooks([dir]);
    expect(library.list().map((playbook) => playbook.id)).toEqual(
      process.getuid?.() === 0 ? ['good', 'locked'] : ['good'], // root reads any file
    );
    const codes = library.problems().map((problem) => [problem.code, problem.file.slice(dir.length + 1)]);
    expect(codes).toContainEqual(['PLAYBOOK_UNREADABLE', 'dangling.md']);
    expect(codes).toContainEqual(['PLAYBOOK_TOO_LARGE', 'huge.md']);
    if (process.getuid?.() !== 0) expect(codes).toContainEqual(['PLAYBOOK_UNREADABLE', 'locked.md']);
    for (const problem of library.problems()) expect(problem.message).not.toContain(root);
  });

  it('returns copies, so callers cannot change the library', async () => {
    const library = await loadPlaybooks([user]);
    library.list().pop();
    library.problems().push({ file: 'x', line: 1, code: 'X', message: 'x' });
    expect(library.list()).toHaveLength(2);
    expect(library.problems()).toEqual([]);
  });
});

describe('reloading playbooks', () => {
  it('keeps the previous version of a playbook whose file broke, reports the new problems, and takes the fix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sidekick-playbooks-reload-'));
    try {
      const file = join(dir, 'db.md');
      await writeFile(file, '# DB\n\n## Start\n\nCheck the replica.\n');
      const first = await loadPlaybooks([dir]);
      expect(first.get('db')?.title).toBe('DB');

      // Only a title: no pages, no playbook in the new text.
      await writeFile(file, '# DB, half saved\n');
      const broken = await loadPlaybooks([dir], first);
      expect(broken.get('db')?.title).toBe('DB');
      expect(broken.kept?.()).toEqual(['db']);
      expect(broken.problems().map((problem) => problem.code)).toContain('PLAYBOOK_NO_PAGES');

      // Still broken on the next reload: the good version stays.
      expect((await loadPlaybooks([dir], broken)).get('db')?.title).toBe('DB');

      await writeFile(file, '# DB v2\n\n## Start\n\nCheck the replica and the tunnel.\n');
      const fixed = await loadPlaybooks([dir], broken);
      expect(fixed.get('db')?.title).toBe('DB v2');
      expect(fixed.kept?.()).toEqual([]);

      // Deleted: gone.
      await rm(file);
      expect((await loadPlaybooks([dir], fixed)).get('db')).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
