import { SidekickError } from '../errors/sidekick-error.js';

import { z } from 'zod';
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

// Units must appear largest first and at most once, so `5m1h` or `1m1m` is a typo, not a sum.
const UNIT_ORDER = ['d', 'h', 'm', 's', 'ms'];
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Why a duration string was refused; the message says what was expected. */
export class DurationError extends SidekickError {
  constructor(input: string, detail: string) {
    super('DURATION_INVALID', `"${input.length > 40 ? `${input.slice(0, 40)}…` : input}" is not a duration: ${detail} (expected e.g. 500ms, 30s, 5m, 1h30m, 2d)`);
    this.name = 'DurationError';
  }
}

/**
 * Parses a duration such as `30m`, `1h30m` or `250ms` into milliseconds.
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(input: string): number {
  const text = input.trim();
  if (text === '') throw new DurationError(input, 'it is empty');
  if (text === '0') return 0;
  let total = 0;
  let position = 0;
  let lastUnit = -1;
  while (position < text.length) {
    PART.lastIndex = position;
    const match = PART.exec(text);
    if (!match) throw new DurationError(input, `unexpected "${text.slice(position, position + 10)}" at position ${position}`);
    const unitIndex = UNIT_ORDER.indexOf(match[2]);
    if (unitIndex <= lastUnit) throw new DurationError(input, 'units must go from largest to smallest, each once');
    lastUnit = unitIndex;
    total += Number(match[1]) * UNIT_MS[match[2]];
    position = PART.lastIndex;
  }
  if (!Number.isSafeInteger(Math.round(total))) throw new DurationError(input, 'it is too long');
  return Math.round(total);
}

/** Formats milliseconds as the shortest duration string parseDuration reads back (`5400000` → `1h30m`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let text = '';
  for (const unit of UNIT_ORDER) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text;
}

/** A duration written in a flow or in sidekick.yaml: a string, or zod says what was expected. */
const durationText = z.string({ error: 'expected a duration string like 30s, 5m or 1h30m' });

/** The one reading of a duration setting: its milliseconds, or the parser's message as the issue. */
function readDuration(text: string, ctx: z.RefinementCtx): number {
  try {
    return parseDuration(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
}

/** A box setting that holds a duration longer than 0 (`30s`, `5m`, `1h30m`), kept as written. */
export const durationSchema = durationText.superRefine((text, ctx) => {
  if (readDuration(text, ctx) === 0) ctx.addIssue({ code: 'custom', message: 'expected a duration longer than 0, such as 30s, 5m or 1h30m' });
});

/** A configuration window (`dedupWindow: 5m`; `0` turns it off), parsed to milliseconds. */
export const durationMsSchema = durationText.transform(readDuration);
