#!/usr/bin/env node
/**
 * Builds the server into dist/ with esbuild. A start used to read some 660 module files (Kysely
 * alone is 262); bundled, Sidekick's modules and the pure-JavaScript packages a start needs are a
 * few files. The entry stays dist/src/cli/main.js, which the `bin` and `npm start` run. Code
 * splitting keeps each `import()` of the sources a chunk of its own, loaded on first use as before.
 *
 * Only the packages in BUNDLED are bundled. The others stay in node_modules and load as they are:
 * native addons (better-sqlite3, argon2), pino (its transports start worker threads from files of
 * its own) and the packages only some configurations load (Slack, trackers, MCP, OIDC, PostgreSQL).
 *
 * Source maps point stack traces at src/ when Node runs with --enable-source-maps (for instance
 * NODE_OPTIONS=--enable-source-maps). They map Sidekick's own code only, without the sources'
 * text. They stay off by default: Node then reads the map and measures the lines of every module
 * it loads, some 0.1 s of a start's CPU even with maps this small.
 *
 *   node tools/bundle-server.mjs [outdir]     # outdir defaults to dist
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, process.argv[2] ?? 'dist');

/** The packages a start loads, all pure JavaScript that needs none of its own files at run time. */
const BUNDLED = new Set(['commander', 'fastify', '@fastify/cookie', '@fastify/static', 'jsonpath-rfc9535', 'kysely', 'liquidjs', 'marked', 'prom-client', 'yaml', 'zod']);

/** Never bundled, whoever imports them: pino's transports start workers from pino's own files. */
const ALWAYS_EXTERNAL = new Set(['pino', 'thread-stream', 'better-sqlite3']);

/** The package a bare import names: `@scope/name` or `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Leaves every package outside BUNDLED (and Node's own modules) to be imported at run time. */
const externalPackages = {
  name: 'external-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (ALWAYS_EXTERNAL.has(name)) return { external: true };
      // Inside a bundled package, its own dependencies are bundled with it (Fastify's avvio, …).
      if (args.importer.includes('/node_modules/')) return undefined;
      return BUNDLED.has(name) ? undefined : { external: true };
    });
  },
};

/**
 * A hash of everything the bundle is built from (the sources, the locked dependencies, this
 * script): what the running code calls its build id (src/util/build-id.ts). Results the code
 * keeps across starts are filed under it, so another build never reads them.
 */
function buildId() {
  const hash = createHash('sha256');
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
  for (const file of [...files, join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    hash.update(`\0${file.slice(root.length)}\0`).update(readFileSync(file));
  }
  return hash.digest('base64url').slice(0, 32);
}

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outdir,
  outbase: '.',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [externalPackages],
  define: { SIDEKICK_BUILD_ID: JSON.stringify(buildId()) },
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __sidekickRequire } from 'node:module'; const require = __sidekickRequire(import.meta.url);" },
  logLevel: 'warning',
});

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one segment of a source map's `mappings` (base64 VLQ) into its numbers. */
function decodeSegment(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

function encodeValue(number) {
  let value = number < 0 ? (-number << 1) | 1 : number << 1;
  let text = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value > 0) digit |= 32;
    text += BASE64[digit];
  } while (value > 0);
  return text;
}

/** Drops a map's mappings into files under node_modules, keeping those into src/. */
function ownCodeOnly(map) {
  const keep = map.sources.map((source) => !source.includes('node_modules/'));
  // Source index, line, column and name are relative to the previous segment across lines.
  const read = [0, 0, 0, 0];
  const written = [0, 0, 0, 0];
  map.mappings = map.mappings
    .split(';')
    .map((line) => {
      let readColumn = 0;
      let writtenColumn = 0;
      const out = [];
      for (const segment of line ? line.split(',') : []) {
        const values = decodeSegment(segment);
        readColumn += values[0];
        for (let i = 1; i < values.length; i++) read[i - 1] += values[i];
        if (values.length < 4 || !keep[read[0]]) continue;
        let text = encodeValue(readColumn - writtenColumn);
        writtenColumn = readColumn;
        for (let i = 1; i < values.length; i++) {
          text += encodeValue(read[i - 1] - written[i - 1]);
          written[i - 1] = read[i - 1];
        }
        out.push(text);
      }
      return out.join(',');
    })
    .join(';');
  map.sources = map.sources.map((source, index) => (keep[index] ? source : ''));
  return map;
}

for (const folder of [join(outdir, 'src/cli'), join(outdir, 'chunks')]) {
  for (const name of readdirSync(folder)) {
    if (!name.endsWith('.map')) continue;
    const file = join(folder, name);
    writeFileSync(file, JSON.stringify(ownCodeOnly(JSON.parse(readFileSync(file, 'utf8')))));
  }
}
