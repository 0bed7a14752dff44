import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

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

/** The vendor a module speaks for: its folder in chat/, or the first word of its file name elsewhere. */
const VENDORS: Record<string, readonly string[]> = {
  'src/chat': ['room', 'slack', 'teams'],
  'src/meetings': ['jitsi', 'zoom', 'teams'],
  'src/trackers': ['github', 'gitlab', 'jira', 'markdown'],
  'src/graphs': ['datadog'],
};
function vendorOf(path: string): string | undefined {
  for (const [folder, vendors] of Object.entries(VENDORS)) {
    if (!inside(path, folder)) continue;
    const rest = path.slice(folder.length + 1);
    const first = rest.includes('/') ? rest.split('/')[0]! : rest.split(/[-.]/)[0]!;
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
