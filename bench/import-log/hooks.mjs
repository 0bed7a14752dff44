// Module resolve hook (runs on the loader thread): appends each resolved file: URL to the log.
import { appendFileSync } from 'node:fs';

const log = process.env.BENCH_IMPORT_LOG;

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (log && result.url.startsWith('file:')) appendFileSync(log, `${result.url}\n`);
  return result;
}
