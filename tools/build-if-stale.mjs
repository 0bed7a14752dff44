#!/usr/bin/env node
/**
 * `npm start` runs this first: it builds the server (type-checked by tsc, bundled into dist/ by
 * tools/bundle-server.mjs) and the web UI (Vite → web/dist/) only when their sources changed since
 * the last build, so a second start is ready at once.
 *
 * "Changed" is the newest modification time among a build's inputs — files and the folders that
 * hold them, so a deleted or renamed file counts too — against the stamp the build left behind.
 * `git pull`, `git checkout` and an editor all touch what they change. `SIDEKICK_BUILD=always`
 * (or `--always`, which `npm run build` passes) forces both builds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--always') || process.env.SIDEKICK_BUILD === 'always';

/** The newest mtime under `path` (0 when it does not exist). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    latest = Math.max(latest, newest(join(path, name)));
  }
  return latest;
}

function stampOf(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function run(args) {
  // NODE_ENV=test (set by some shells and runners) would make Vite bundle React's development build.
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

const shared = ['package.json', 'package-lock.json', 'tsconfig.json'].map((file) => newest(join(root, file)));
const builds = [
  {
    name: 'server',
    inputs: [join(root, 'src'), join(root, 'tsconfig.build.json'), join(root, 'tools/bundle-server.mjs')],
    stamp: join(root, 'dist/.build-stamp'),
    // A type error fails the build, as when tsc wrote dist/; esbuild itself only strips the types.
    steps: [[join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], [join(root, 'tools/bundle-server.mjs')]],
  },
  {
    name: 'web UI',
    // The UI imports the server's types and a few constants from src/.
    inputs: [join(root, 'web/src'), join(root, 'web/index.html'), join(root, 'web/vite.config.ts'), join(root, 'web/tsconfig.json'), join(root, 'web/public'), join(root, 'src')],
    stamp: join(root, 'web/dist/.build-stamp'),
    steps: [[join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']],
  },
];

for (const build of builds) {
  const changed = Math.max(...shared, ...build.inputs.map(newest));
  if (!force && stampOf(build.stamp) > changed) continue;
  console.log(`sidekick: building the ${build.name}${force ? '' : ' (its sources changed since the last build)'}…`);
  for (const step of build.steps) run(step);
  writeFileSync(build.stamp, `${new Date().toISOString()}\n`);
}
