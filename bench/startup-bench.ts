import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './bench-sidekick.js';
import { readCpuMs, readRssMiB } from './machine.js';
import { summariseProfile, type ProfileSummary } from './cpu-profile.js';
import { measureImportCosts } from './import-costs.js';
import { figureAgainst, info, renderProfile, type Section } from './report.js';
import { formatCount, formatMs, percentile } from './stats.js';
import { FULL_BACKLOG, seededCopy } from './seed-backlog.js';

/** The backlog the start must cope with: the flat-cost benchmark's, so one seeding serves both. */
const STARTUP_BACKLOG = FULL_BACKLOG;

const CLI = join(REPO_ROOT, 'dist/src/cli/main.js');
/** The file in the data folder where a start keeps the results of checking the flows and playbooks. */
const CHECK_CACHE = 'check-cache.json';

interface StartRun {
  readyMs: number;
  /** CPU the process had used when it said it was ready: less sensitive to a busy machine. */
  cpuMs?: number;
  /** What the process itself reports ("ready … in N ms": from its own first line of code). */
  selfReportedMs: number;
  rssMiB?: number;
  peakMiB?: number;
}

/**
 * Benchmark 4: `node dist/src/cli/main.js start --port 0` with a fresh data folder, from spawn to
 * the "Sidekick is ready" line, `runs` times; then resident memory after `idleMs` of idleness.
 * Builds first when dist/ is missing.
 */
export async function benchStartup(options: { runs: number; idleMs: number }): Promise<Section> {
  const started = performance.now();
  const notes: string[] = [];
  const backlogRuns: StartRun[] = [];
  const stale = !existsSync(CLI) ? 'dist/ is missing' : newestSource(join(REPO_ROOT, 'src')) > statSync(CLI).mtimeMs ? 'src/ changed since dist/ was built' : undefined;
  if (stale && process.env.BENCH_REBUILD !== '0') {
    process.stdout.write(`  · ${stale}: npm run build\n`);
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${(build.stderr || build.stdout || '').slice(-800)}`);
    notes.push(`Built with \`npm run build\` first because ${stale} (${((performance.now() - started) / 1000).toFixed(0)} s).`);
  }
  const webBuilt = existsSync(join(REPO_ROOT, 'web/dist/index.html'));
  notes.push(
    `dist/ built at ${statSync(CLI).mtime.toISOString()}; web UI bundle (web/dist) ${webBuilt ? 'present, so the static files plugin is part of the start' : 'absent, so the server starts without the static files plugin'}.`,
  );
  const runs: StartRun[] = [];
  // What the first of these starts leaves in its data folder (the database, the cache of flow checks) is what a restart finds.
  const previous = mkdtempSync(join(tmpdir(), 'sidekick-previous-start-'));
  for (let i = 0; i < options.runs; i++) runs.push(await startOnce(options.idleMs, [], {}, undefined, i === 0 ? (dataDir) => cpSync(dataDir, previous, { recursive: true }) : undefined));
  const restartRuns: StartRun[] = [];
  try {
    for (let i = 0; i < options.runs; i++) restartRuns.push(await startOnce(0, [], {}, async (dataDir) => cpSync(previous, dataDir, { recursive: true })));
    // A restart on a data folder that holds a backlog (seeded in bulk, bench/seed-backlog.ts) and the previous start's cache of flow checks.
    for (let i = 0; i < options.runs; i++) {
      backlogRuns.push(
        await startOnce(0, [], {}, async (dataDir) => {
          await seededCopy(dataDir, STARTUP_BACKLOG);
          copyFileSync(join(previous, CHECK_CACHE), join(dataDir, CHECK_CACHE));
        }),
      );
    }
  } catch (error) {
    notes.push(`The restarts failed: ${(error as Error).message}`);
  } finally {
    rmSync(previous, { recursive: true, force: true });
  }
  const backlogWorst = Math.max(...backlogRuns.map((run) => run.readyMs));
  const restartWorst = Math.max(...restartRuns.map((run) => run.readyMs));
  // One more start under --cpu-prof, to say where the start-up time goes.
  const profileDir = mkdtempSync(join(tmpdir(), 'sidekick-start-prof-'));
  let profile: ProfileSummary | undefined;
  try {
    await startOnce(0, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (file) profile = summariseProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), REPO_ROOT);
    else notes.push('The profiled start wrote no .cpuprofile.');
  } catch (error) {
    notes.push(`The profiled start failed: ${(error as Error).message}`);
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }

  const imports = measureImportCosts(REPO_ROOT);
  const modules = await countStartModules().catch((error: Error) => {
    notes.push(`Counting the modules loaded at start failed: ${error.message}`);
    return undefined;
  });
  const moduleTable = modules
    ? [
        `Module files the start resolves through ESM imports, by package (${formatCount(modules.total)} in all; CommonJS files a package loads internally are not seen):`,
        '',
        '| package | files |',
        '| --- | ---: |',
        ...modules.byPackage.slice(0, 15).map(([name, count]) => `| ${name} | ${formatCount(count)} |`),
      ].join('\n')
    : undefined;
  const importTable = [
    'Importing each runtime dependency alone in a fresh Node process (which ones are worth loading only when used):',
    '',
    '| package | import wall time | import CPU |',
    '| --- | ---: | ---: |',
    ...imports.map((cost) => `| ${cost.name} | ${cost.error ? cost.error : formatMs(cost.wallMs)} | ${cost.error ? '' : formatMs(cost.cpuMs)} |`),
  ].join('\n');
  const loadedAtStart = new Set((modules?.byPackage ?? []).map(([name]) => name));
  // The embedded defaults need none of these: SQLite, the built-in room, Jitsi, Markdown issues.
  const unneeded = (modules?.byPackage ?? []).map(([name]) => name).filter((name) => /^(@octokit\/|@slack\/|pg$|pg-)/.test(name));
  const ready = percentile(
    runs.map((run) => run.readyMs),
    50,
  );
  const worstReady = Math.max(...runs.map((run) => run.readyMs));
  // The bar is in MB (10^6 bytes); /proc reports KiB.
  const rssMB = runs.map((run) => (run.rssMiB ?? Number.NaN) * 1.048576);
  const worstRss = Math.max(...rssMB.filter(Number.isFinite));
  const kinds: [string, StartRun[]][] = [
    ['first start', runs],
    ['restart', restartRuns],
    ['restart, backlog', backlogRuns],
  ];
  const rows = kinds.flatMap(([kind, list]) =>
    list.map(
      (run, index) =>
        `| ${kind} ${index + 1} | ${formatMs(run.readyMs)} | ${formatMs(run.selfReportedMs)} | ${run.cpuMs === undefined ? 'n/a' : formatMs(run.cpuMs)} | ${megabytes(run.rssMiB)} | ${megabytes(run.peakMiB)} |`,
    ),
  );
  const cpuToReady = percentile(
    runs.map((run) => run.cpuMs ?? Number.NaN),
    50,
  );
  const missedStart = !(worstReady <= 1000) || !(restartWorst <= 1000) || !(backlogWorst <= 1000);
  const missedMemory = !(worstRss <= 120);
  return {
    title: '4. Start-to-ready time and idle memory',
    method:
      `\`node dist/src/cli/main.js start --port 0\` ${options.runs} times, each with a fresh empty data folder (a first start: it creates and migrates its SQLite file and checks every flow and playbook) and the embedded defaults (built-in room, Jitsi, Markdown issues, bundled example flows). ` +
      `Then ${options.runs} restarts, each on a copy of the data folder the first start left (its database and its cache of flow and playbook checks, \`${CHECK_CACHE}\`), and ${options.runs} restarts on a copy of a database holding the backlog of benchmark 6 (${formatCount(STARTUP_BACKLOG.openIncidents)} open incidents, ${formatCount(STARTUP_BACKLOG.queuedJobs)} queued jobs, ${formatCount(STARTUP_BACKLOG.storedAlerts)} alerts) with that same cache beside it; the copy is flushed to disk before the start. ` +
      `Start-to-ready is from spawn to the "Sidekick is ready" line on stdout, so it includes starting Node itself. Memory is VmRSS from /proc/<pid>/status after ${options.idleMs / 1000} s of idleness.`,
    status: 'ran',
    figures: [
      figureAgainst('first start to ready (fresh data folder), slowest', worstReady, { atMost: 1000, text: '≤ 1.0 s' }, formatMs),
      figureAgainst('restart to ready, slowest', restartWorst, { atMost: 1000, text: '≤ 1.0 s' }, formatMs),
      figureAgainst(`restart to ready with ${formatCount(STARTUP_BACKLOG.queuedJobs)} queued jobs, slowest`, backlogWorst, { atMost: 1000, text: '≤ 1.0 s' }, formatMs),
      info(
        'restart to ready, median',
        formatMs(
          percentile(
            restartRuns.map((run) => run.readyMs),
            50,
          ),
        ),
      ),
      info(
        `start to ready with the backlog, median (CPU until ready ${formatMs(
          percentile(
            backlogRuns.map((run) => run.cpuMs ?? Number.NaN),
            50,
          ),
        )})`,
        formatMs(
          percentile(
            backlogRuns.map((run) => run.readyMs),
            50,
          ),
        ),
      ),
      info('first start to ready, median', formatMs(ready)),
      info('CPU used until ready, median', formatMs(cpuToReady)),
      info('load average (1 min) at the end', loadavg()[0]!.toFixed(2)),
      figureAgainst('idle memory (RSS), largest of the runs', worstRss, { atMost: 120, text: '≤ 120 MB' }, (value) => `${value.toFixed(1)} MB`),
    ],
    details: [
      ['| start | spawn → ready line | as the process reports it | CPU used until ready | RSS after idle | peak RSS |', '| ---: | ---: | ---: | ---: | ---: | ---: |', ...rows].join('\n'),
      '“As the process reports it” is the time the `start` command measures from its own first line, after Node has started and loaded the CLI\u2019s modules; the difference to the spawn is Node\u2019s start and module loading.',
      ...notes,
      ...(moduleTable ? [moduleTable] : []),
      importTable,
      ...(profile ? [renderProfile('Profile of one more start (`node --cpu-prof`, until the process stopped; idle time left out)', profile)] : []),
    ],
    analysis: [
      ...(missedStart
        ? [
            `Start-up is over the bar. The process needs ${formatMs(cpuToReady)} of CPU until ready${cpuToReady <= 1000 ? ', within the bar; the slowest spawn → ready also holds Node\u2019s own start and any wait for a core (load average above)' : ''}.`,
            ...(profile
              ? [
                  `By the profile the start-up CPU goes to: ${profile.byPart
                    .slice(0, 5)
                    .map((part) => `${part.part} ${(part.share * 100).toFixed(0)} %`)
                    .join(', ')}. Module loading and compiling (node:modules, file opens, garbage collection while loading) is the largest part.`,
                ]
              : []),
            ...(unneeded.length ? [`Loaded at start although the embedded defaults do not use them: ${unneeded.join(', ')}.`] : []),
            `Next, for the owners of src/cli and src/server: ${eagerCommands() > 1 ? `import per command (src/cli/main.ts imports all ${eagerCommands()} command modules to run one), and ` : ''}load what the start path does not need only when it is used. Of the packages the start loads, importing these alone costs most: ${imports
              .filter((cost) => loadedAtStart.has(cost.name))
              .slice(0, 3)
              .map((cost) => `${cost.name} ${formatMs(cost.cpuMs)}`)
              .join(', ')}.`,
          ]
        : []),
      ...(missedMemory ? ['Idle memory is over the bar: take a heap snapshot (`node --heapsnapshot-signal=SIGUSR2`) of the idle server.'] : []),
    ],
    seconds: (performance.now() - started) / 1000,
  };
}

/** Starts once with the import log hook and counts the module files resolved, by package. */
async function countStartModules(): Promise<{ total: number; byPackage: [string, number][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-imports-'));
  const log = join(dir, 'imports.log');
  try {
    await startOnce(0, ['--import', join(REPO_ROOT, 'bench/import-log/register.mjs')], { BENCH_IMPORT_LOG: log });
    const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
    const counts = new Map<string, number>();
    for (const url of urls) {
      const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? (/\/dist\/(src|chunks)\//.test(url) ? 'Sidekick (dist)' : 'other');
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return { total: urls.length, byPackage: [...counts.entries()].sort((a, b) => b[1] - a[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One start: spawn, wait for the ready line, idle, read memory, stop with SIGTERM. */
async function startOnce(
  idleMs: number,
  nodeOptions: string[] = [],
  extraEnv: Record<string, string> = {},
  prepare?: (dataDir: string) => Promise<void>,
  /** Called with the data folder once the process has stopped, before the folder is removed. */
  keep?: (dataDir: string) => void,
): Promise<StartRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-start-'));
  await prepare?.(join(dir, 'data'));
  const t0 = performance.now();
  // The working folder has no sidekick.yaml; only the data folder is set. No credentials are passed on.
  const child = spawn(process.execPath, [...nodeOptions, CLI, 'start', '--port', '0'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, SIDEKICK_DATA_DIR: join(dir, 'data'), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready after 20 s: ${output.slice(-600)}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Sidekick is ready at .*/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sidekick start exited (${code}) before it was ready: ${output.slice(-600)}`));
      });
    });
    const readyMs = performance.now() - t0;
    const cpuMs = readCpuMs(child.pid!);
    const selfReportedMs = Number(/ in (\d+) ms/.exec(line)?.[1] ?? Number.NaN);
    await sleep(idleMs);
    const memory = readRssMiB(child.pid!);
    return { readyMs, cpuMs, selfReportedMs, rssMiB: memory?.rss, peakMiB: memory?.peak };
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    keep?.(join(dir, 'data'));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many command modules the CLI's entry imports statically (each pulls in its own dependencies). */
function eagerCommands(): number {
  try {
    return (readFileSync(join(REPO_ROOT, 'src/cli/main.ts'), 'utf8').match(/^import .* from '\.\/commands\//gm) ?? []).length;
  } catch {
    return 0;
  }
}

/** The latest modification time of any file under a folder, in ms. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function megabytes(mib: number | undefined): string {
  return mib === undefined || !Number.isFinite(mib) ? 'n/a' : `${(mib * 1.048576).toFixed(1)} MB`;
}
