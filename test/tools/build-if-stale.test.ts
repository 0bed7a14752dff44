import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../tools/build-if-stale.mjs');

/**
 * `npm start` runs tools/build-if-stale.mjs before the server; a second start is fast only if it
 * builds nothing. The script runs here in a temporary copy of the project whose `tsc`, bundler and
 * `vite` are stand-ins that record each build, so the test counts builds instead of timing them.
 */
describe('build-if-stale (npm start)', () => {
  let root: string;
  const log = () => join(root, 'builds.log');
  const builds = () => (existsSync(log()) ? readFileSync(log(), 'utf8').trim().split('\n').filter(Boolean) : []);
  const start = (...args: string[]) => execFileSync(process.execPath, [join(root, 'tools/build-if-stale.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, SIDEKICK_BUILD: '' } });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  /** A stand-in build tool: records its name and writes the output folder, as tsc and Vite do. */
  const standIn = (name: string, out: string) =>
    `import { appendFileSync, mkdirSync } from 'node:fs';\nmkdirSync(${JSON.stringify(join(root, out))}, { recursive: true });\nappendFileSync(${JSON.stringify(log())}, ${JSON.stringify(name + '\n')});\n`;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'sidekick-build-'));
    mkdirSync(join(root, 'tools'));
    copyFileSync(script, join(root, 'tools/build-if-stale.mjs'));
    write('node_modules/typescript/bin/tsc', standIn('server', 'dist'));
    write('tools/bundle-server.mjs', standIn('bundle', 'dist'));
    write('node_modules/vite/bin/vite.js', standIn('web', 'web/dist'));
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'web/index.html', 'web/vite.config.ts', 'web/tsconfig.json']) write(file, '{}');
    write('src/main.ts', 'export {};\n');
    write('web/src/main.tsx', 'export {};\n');
    // Sources written three hours ago: a build stamp written later is plainly newer, whatever the file system's time granularity.
    const longAgo = new Date(Date.now() - 10_800_000);
    for (const path of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'tools/bundle-server.mjs',
      'src',
      'src/main.ts',
      'web',
      'web/src',
      'web/src/main.tsx',
      'web/index.html',
      'web/vite.config.ts',
      'web/tsconfig.json',
    ]) {
      utimesSync(join(root, path), longAgo, longAgo);
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds both on the first start and nothing on the second', () => {
    start();
    // The server: type-checked, then bundled.
    expect(builds()).toEqual(['server', 'bundle', 'web']);
    const second = start();
    expect(builds()).toEqual(['server', 'bundle', 'web']);
    expect(second).not.toContain('building');
  });

  it('rebuilds after a source changes, and only then', () => {
    start();
    // The last build two hours ago, a UI file edited half an hour ago.
    const built = new Date(Date.now() - 7_200_000);
    for (const stamp of ['dist/.build-stamp', 'web/dist/.build-stamp']) utimesSync(join(root, stamp), built, built);
    const edited = new Date(Date.now() - 1_800_000);
    utimesSync(join(root, 'web/src/main.tsx'), edited, edited);
    start();
    expect(builds()).toEqual(['server', 'bundle', 'web', 'web']);
    start();
    expect(builds()).toEqual(['server', 'bundle', 'web', 'web']);
  });

  it('builds both again when --always is passed (npm run build)', () => {
    start();
    start('--always');
    expect(builds()).toEqual(['server', 'bundle', 'web', 'server', 'bundle', 'web']);
  });
});
