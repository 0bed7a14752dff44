import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The first executable named `names` on PATH (Debian and upstream name their binaries
 * differently), or the path in `envVar` when set; undefined when none is installed.
 */
export function findBinary(names: string[], envVar: string): string | undefined {
  const override = process.env[envVar];
  if (override) return isExecutable(override) ? override : undefined;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
