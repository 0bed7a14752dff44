// `node --import test/helpers/record-required.mjs …` writes, when the process exits, every
// CommonJS file it loaded (one path a line) to the file named by RECORD_REQUIRED: the ESM loader
// hooks do not see what a CommonJS package requires inside.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = process.env.RECORD_REQUIRED;
const cache = createRequire(import.meta.url).cache;
if (out) process.on('exit', () => writeFileSync(out, Object.keys(cache).join('\n')));
