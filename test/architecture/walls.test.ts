import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHAT_ADAPTERS } from '../../src/chat/adapters.js';
import { TRACKERS } from '../../src/trackers/tracker-kinds.js';

/**
 * The walls between the parts of src/ (docs/architecture.md), checked over every import so they
 * hold as the code grows. Tests may reach across (they build fakes of every side); the code may not.
 */
const root = resolve(import.meta.dirname, '../..');

interface Import {
  /** The importing file and the imported one, relative to the repository (`src/engine/engine.ts`). */
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

// `import … from`, `export … from`, side-effect imports and dynamic `import()`.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[3] ?? match[4]!;
    if (!specifier.startsWith('.')) continue;
    const to = relative(root, resolve(root, dirname(file), specifier)).replace(/\.js$/, '.ts');
    found.push({ from: file, to, typeOnly: Boolean(match[2]) });
  }
  return found;
}

const imports = [...sourceFiles('src'), ...sourceFiles('web/src')].flatMap(importsOf);
const inside = (path: string, folder: string) => path.startsWith(`${folder}/`);
const crossing = (from: string, to: string[]) => imports.filter((i) => inside(i.from, from) && to.some((folder) => inside(i.to, folder))).map((i) => `${i.from} → ${i.to}`);

// Chat adapters and trackers come from their registries, so a new one is walled in without a line here.
const REGISTERED_CHATS = CHAT_ADAPTERS.map((adapter) => adapter.name);
const REGISTERED_TRACKERS = TRACKERS.map((tracker) => tracker.name);
/** Each registered chat adapter and tracker lives in a folder of its own, named for it. */
const VENDOR_FOLDERS: Record<string, readonly string[]> = {
  'src/chat': ['room', ...REGISTERED_CHATS],
  'src/trackers': REGISTERED_TRACKERS,
};
/** Meeting and graph vendors are still one or two files each, named for the vendor. */
const VENDOR_FILES: Record<string, readonly string[]> = {
  'src/meetings': ['jitsi', 'zoom', 'teams'],
  'src/graphs': ['datadog'],
};
/** The vendor a module speaks for: its folder in chat/ and trackers/, the first word of its file name in meetings/ and graphs/. */
function vendorOf(path: string): string | undefined {
  for (const [folder, vendors] of Object.entries(VENDOR_FOLDERS)) {
    if (!inside(path, folder)) continue;
    const rest = path.slice(folder.length + 1);
    const first = rest.includes('/') ? rest.split('/')[0]! : undefined;
    return first && vendors.includes(first) ? first : undefined;
  }
  for (const [folder, vendors] of Object.entries(VENDOR_FILES)) {
    if (!inside(path, folder)) continue;
    const first = path.slice(folder.length + 1).split(/[-./]/)[0]!;
    return vendors.includes(first) ? first : undefined;
  }
  return undefined;
}

describe('walls between the parts of src/', () => {
  it('reads the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(500);
    expect(imports).toContainEqual({ from: 'src/engine/engine.ts', to: 'src/boxes/registry.ts', typeOnly: false });
  });

  it('the engine reaches the outside world only through boxes: no chat, meeting, tracker, graph or server module', () => {
    expect(crossing('src/engine', ['src/chat', 'src/meetings', 'src/trackers', 'src/graphs', 'src/server'])).toEqual([]);
  });

  it('adapters never import each other: a vendor module imports no other vendor’s', () => {
    const across = imports.filter((i) => vendorOf(i.from) && vendorOf(i.to) && vendorOf(i.from) !== vendorOf(i.to)).map((i) => `${i.from} → ${i.to}`);
    expect(across).toEqual([]);
  });

  it('shared code reaches a chat adapter or a tracker only through its registry entry', () => {
    // So an adapter or a tracker is one folder plus one registry line: nothing else
    // names it. Shared chat code reaching into one adapter would hand it to every other (the slash
    // commands once escaped text with Slack's helper, so Teams depended on Slack).
    const REGISTRIES: Record<string, RegExp> = {
      'src/chat/adapters.ts': /^src\/chat\/[a-z]+\/index\.ts$/,
      'src/trackers/tracker-kinds.ts': /^src\/trackers\/[a-z]+\/index\.ts$/,
    };
    // The CLI's own commands for one vendor (`sidekick slack manifest`, `sidekick teams package`).
    const VENDOR_COMMANDS = ['src/cli/commands/slack.ts', 'src/cli/commands/teams.ts'];
    const REGISTERED: readonly string[] = [...REGISTERED_CHATS, ...REGISTERED_TRACKERS];
    const registered = (path: string) => (inside(path, 'src/chat') || inside(path, 'src/trackers')) && REGISTERED.includes(vendorOf(path) ?? '');
    // The store is composed of the tables an adapter keeps (its *-queries.ts; see the store's wall below).
    const adapterTables = (i: { from: string; to: string }) => inside(i.from, 'src/store') && i.to.endsWith('-queries.ts');
    const reaching = imports.filter((i) => !vendorOf(i.from) && registered(i.to) && !REGISTRIES[i.from]?.test(i.to) && !VENDOR_COMMANDS.includes(i.from) && !adapterTables(i));
    expect(REGISTERED).toEqual(expect.arrayContaining(['slack', 'teams', 'github', 'gitlab', 'jira', 'markdown']));
    expect(reaching.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('a chat adapter or a tracker lives in its folder: no module outside it is named for it', () => {
    // A `src/trackers/github-foo.ts` beside the shared modules would escape the walls above, which
    // know a tracker by its folder.
    const stray = Object.entries(VENDOR_FOLDERS).flatMap(([folder, vendors]) =>
      sourceFiles(folder).filter((path) => !vendorOf(path) && vendors.includes(path.slice(folder.length + 1).split(/[-./]/)[0]!)),
    );
    expect(REGISTERED_TRACKERS.map((name) => `src/trackers/${name}/index.ts`).filter((entry) => !sourceFiles('src/trackers').includes(entry))).toEqual([]);
    expect(stray).toEqual([]);
  });

  it('a registry loads no vendor library: adapters and trackers import theirs only when created', () => {
    // Follows the registries' static imports (not `import()`, not types) through src/ and lists
    // the packages they reach: Bolt, Octokit or jira.js here would load at every start.
    const STATIC = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const match of readFileSync(join(root, file), 'utf8').matchAll(STATIC)) {
        const specifier = match[1]!;
        if (specifier.startsWith('.')) visit(relative(root, resolve(root, dirname(file), specifier)).replace(/\.js$/, '.ts'));
        else packages.add(specifier);
      }
    };
    visit('src/chat/adapters.ts');
    visit('src/trackers/tracker-kinds.ts');
    expect(seen.size).toBeGreaterThan(8);
    expect([...packages].sort()).toEqual(['node:path', 'zod']);
  });

  it('alerts/ knows nothing of flows, boxes or the engine', () => {
    expect(crossing('src/alerts', ['src/boxes', 'src/engine', 'src/flows', 'src/incidents'])).toEqual([]);
  });

  it('store/ knows nothing of the engine or the boxes', () => {
    expect(crossing('src/store', ['src/engine', 'src/boxes'])).toEqual([]);
  });

  it('store/ reaches chat/ only for the tables an adapter keeps (its *-queries.ts), never for its code', () => {
    const reaching = crossing('src/store', ['src/chat']);
    expect(reaching).toContain('src/store/store.ts → src/chat/room/room-queries.ts');
    expect(reaching.filter((line) => !line.endsWith('-queries.ts'))).toEqual([]);
  });

  it('the web talks to the server only over HTTP: from src/ it imports types, and the dependency-free flow graph', () => {
    // Allowed: type-only imports (the API's response types and the domain types they name), which
    // vanish from the bundle; and code from modules with no runtime imports of their own, so nothing
    // of the server comes along: the flow graph (the canvas and the server's flow check read a flow
    // the same way) and the domain's value lists (severities, incident statuses).
    const SHARED_CODE = ['src/flows/flow-graph.ts', 'src/alerts/alert.ts', 'src/incidents/incident.ts'];
    const reaching = imports.filter((i) => inside(i.from, 'web/src') && inside(i.to, 'src'));
    expect(reaching.length).toBeGreaterThan(0);
    expect(reaching.filter((i) => !i.typeOnly && !SHARED_CODE.includes(i.to)).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
    for (const shared of SHARED_CODE) {
      expect(
        importsOf(shared).filter((i) => !i.typeOnly),
        `${shared} must stay free of runtime imports`,
      ).toEqual([]);
      expect(readFileSync(join(root, shared), 'utf8'), `${shared} must import no package`).not.toMatch(/^\s*import\s+(?!type\s)[^;]*from\s+['"][^.]/m);
    }
  });
});
