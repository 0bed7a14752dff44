import type { Machine } from './machine.js';
import type { ProfileSummary } from './cpu-profile.js';
import { formatMs } from './stats.js';
import { shortenSql, type StatementTiming } from './sql-timing.js';

/** One measured figure, with the bar from PRODUCT.md it answers to when there is one. */
export interface Figure {
  name: string;
  value: string;
  bar?: string;
  /** `met` / `missed` against the bar; `info` for figures without a bar. */
  verdict: 'met' | 'missed' | 'info';
}

/** One benchmark's part of docs/benchmarks.md. */
export interface Section {
  title: string;
  /** How it was measured, in a sentence or two. */
  method: string;
  status: 'ran' | 'skipped' | 'failed';
  figures: Figure[];
  /** Further Markdown: tables, notes, profile summaries. */
  details: string[];
  /** What bounds the figure and what is next (required when a bar is missed). */
  analysis: string[];
  seconds: number;
}

/** A figure against a "≤" or "≥" bar. */
export function figureAgainst(name: string, value: number, bar: { atMost?: number; atLeast?: number; text: string }, format: (value: number) => string): Figure {
  const met = Number.isFinite(value) && (bar.atMost === undefined || value <= bar.atMost) && (bar.atLeast === undefined || value >= bar.atLeast);
  return { name, value: format(value), bar: bar.text, verdict: met ? 'met' : 'missed' };
}

/** A figure with no bar. */
export function info(name: string, value: string): Figure {
  return { name, value, verdict: 'info' };
}

/** A section for a benchmark that could not run, saying why. */
export function skippedSection(title: string, method: string, why: string, status: 'skipped' | 'failed' = 'skipped'): Section {
  return { title, method, status, figures: [], details: [`**${status === 'skipped' ? 'Skipped' : 'Failed'}:** ${why}`], analysis: [], seconds: 0 };
}

/** The profile as two short tables: by part of the program, and the hottest functions. */
export function renderProfile(title: string, profile: ProfileSummary): string {
  const parts = profile.byPart.slice(0, 12).map((part) => `| ${escapeCell(part.part)} | ${formatMs(part.ms)} | ${(part.share * 100).toFixed(1)} % |`);
  const functions = profile.topFunctions.slice(0, 12).map((fn) => `| \`${escapeCell(fn.name)}\` | ${escapeCell(fn.where)} | ${formatMs(fn.ms)} | ${(fn.share * 100).toFixed(1)} % |`);
  const callers = profile.bySidekickCaller.slice(0, 12).map((fn) => `| \`${escapeCell(fn.name)}\` | ${escapeCell(fn.where)} | ${formatMs(fn.ms)} | ${(fn.share * 100).toFixed(1)} % |`);
  return [
    `**${title}** — ${formatMs(profile.busyMs)} on the CPU in ${formatMs(profile.wallMs)} of wall time (self time, sampled every 0.2 ms):`,
    '',
    '| part | CPU | share |',
    '| --- | ---: | ---: |',
    ...parts,
    '',
    '| hottest function (self time) | where | CPU | share |',
    '| --- | --- | ---: | ---: |',
    ...functions,
    '',
    'The same time charged to the nearest Sidekick function up the stack (what an owner can change):',
    '',
    '| Sidekick function | where | CPU | share |',
    '| --- | --- | ---: | ---: |',
    ...callers,
  ].join('\n');
}

/** The whole of docs/benchmarks.md. */
export function renderReport(machine: Machine, sections: Section[], notes: string[]): string {
  const verdictText = { met: '✅ met', missed: '❌ **missed**', info: '' } as const;
  const barRows = sections.flatMap((section) =>
    section.figures
      .filter((figure) => figure.bar)
      .map((figure) => `| ${escapeCell(section.title)} | ${escapeCell(figure.name)} | ${escapeCell(figure.value)} | ${escapeCell(figure.bar!)} | ${verdictText[figure.verdict]} |`),
  );
  const notRun = sections.filter((section) => section.status !== 'ran').map((section) => `| ${escapeCell(section.title)} | — | ${section.status} | — | — |`);
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); every figure below comes from the last run on the machine described here.',
    'Re-run it to refresh this file. Everything talks to 127.0.0.1 only.',
    '',
    '## Machine',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${escapeCell(machine.cpuModel)} |`,
    `| cores | ${machine.cores} |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| OS | ${escapeCell(machine.os)} |`,
    `| Node.js | ${machine.node} |`,
    `| date | ${machine.date} |`,
    `| commit | ${escapeCell(machine.commit)} |`,
    `| load average at start | ${machine.loadAverage} |`,
    '',
    '## Against the bars',
    '',
    '| benchmark | figure | measured | bar (PRODUCT.md) | |',
    '| --- | --- | ---: | --- | --- |',
    ...barRows,
    ...notRun,
    '',
  ];
  if (notes.length) out.push(...notes.map((note) => `> ${note}`), '');
  for (const section of sections) {
    out.push(`## ${section.title}`, '', section.method, '');
    if (section.figures.length) {
      out.push('| figure | measured | bar | |', '| --- | ---: | --- | --- |');
      for (const figure of section.figures) {
        out.push(`| ${escapeCell(figure.name)} | ${escapeCell(figure.value)} | ${escapeCell(figure.bar ?? '')} | ${verdictText[figure.verdict]} |`);
      }
      out.push('');
    }
    for (const detail of section.details) out.push(detail, '');
    if (section.analysis.length) {
      out.push('**What bounds it, and what is next**', '');
      for (const line of section.analysis) out.push(`- ${line}`);
      out.push('');
    }
    if (section.status === 'ran') out.push(`_This benchmark took ${section.seconds.toFixed(0)} s._`, '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** A table cell must not break the table: pipes and newlines are escaped. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** One sentence on the costliest statement. */
export function summariseStatements(statements: StatementTiming[], alerts: number): string {
  const total = statements.reduce((sum, entry) => sum + entry.ms, 0);
  const top = statements[0];
  if (!top) return 'no statements were timed.';
  return `${formatMs(total / alerts)} per alert; the costliest statement, \`${shortenSql(top.sql, 90)}\`, runs ${(top.calls / alerts).toFixed(1)} times per alert at ${formatMs(top.ms / top.calls)} each, ${((top.ms / total) * 100).toFixed(0)} % of the SQLite time.`;
}

/** The SQL statements of the profiled run, per alert: which queries the time goes to. */
export function renderStatements(statements: StatementTiming[], alerts: number, title = 'SQLite statements in the same run'): string {
  const totalMs = statements.reduce((sum, entry) => sum + entry.ms, 0);
  const calls = statements.reduce((sum, entry) => sum + entry.calls, 0);
  const rows = statements
    .slice(0, 15)
    .map(
      (entry) =>
        `| \`${escapeCell(shortenSql(entry.sql))}\` | ${(entry.calls / alerts).toFixed(1)} | ${formatMs(entry.ms / entry.calls)} | ${formatMs(entry.ms / alerts)} | ${((entry.ms / totalMs) * 100).toFixed(1)} % |`,
    );
  return [
    `**${title}** — ${(calls / alerts).toFixed(1)} statements and ${formatMs(totalMs / alerts)} inside SQLite per alert (timed around each better-sqlite3 call, by SQL text):`,
    '',
    '| statement | calls per alert | per call | per alert | share |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
