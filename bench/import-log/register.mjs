// `node --import bench/import-log/register.mjs …` logs every module file the process resolves to
// the file named by BENCH_IMPORT_LOG (startup-bench.ts counts them per package).
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
