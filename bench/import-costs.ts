import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What importing one package alone costs a fresh Node process. */
export interface ImportCost {
  name: string;
  wallMs: number;
  cpuMs: number;
  error?: string;
}

/**
 * Imports each of the package's runtime dependencies alone in a fresh `node` (from the repository,
 * so they resolve as Sidekick's do) and measures the import: which ones are worth loading lazily.
 */
export function measureImportCosts(root: string): ImportCost[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const names = Object.keys(pkg.dependencies ?? {}).filter((name) => /^(@[a-z0-9._-]+\/)?[a-z0-9._-]+$/.test(name));
  return names
    .map((name) => {
      const script = `const t=performance.now();const c=process.cpuUsage();await import(${JSON.stringify(name)});const u=process.cpuUsage(c);console.log(JSON.stringify({wallMs:performance.now()-t,cpuMs:(u.user+u.system)/1000}));`;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
        timeout: 20_000,
        env: { PATH: process.env.PATH ?? '' },
      });
      try {
        const parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as { wallMs: number; cpuMs: number };
        return { name, ...parsed };
      } catch {
        return { name, wallMs: Number.NaN, cpuMs: Number.NaN, error: (result.stderr || 'no output').split('\n')[0]!.slice(0, 160) };
      }
    })
    .sort((a, b) => (b.cpuMs || 0) - (a.cpuMs || 0));
}
