import { describe, expect, it } from 'vitest';
import { memoryEffects } from '../../../test/slack/slack-test-kit.js';
import { COMMAND_IN_PROGRESS, SlackEventDedup } from './slack-event-dedup.js';

describe('SlackEventDedup.answerOnce', () => {
  it('runs once and gives a replay the first answer, also after a restart (from the store)', async () => {
    const store = memoryEffects();
    let runs = 0;
    const run = async () => `Declared INC-${++runs}`;
    const first = new SlackEventDedup(store);
    expect(await first.answerOnce('command:T1', run)).toBe('Declared INC-1');
    expect(await first.answerOnce('command:T1', run)).toBe('Declared INC-1');
    const restarted = new SlackEventDedup(store);
    expect(await restarted.answerOnce('command:T1', run)).toBe('Declared INC-1');
    expect(runs).toBe(1);
    expect(await restarted.answerOnce('command:T2', run)).toBe('Declared INC-2');
  });

  it('tells a replay that reaches another instance while the first run is still going', async () => {
    const store = memoryEffects();
    let finish!: (text: string) => void;
    const one = new SlackEventDedup(store);
    const pending = one.answerOnce('command:T1', () => new Promise<string>((resolve) => (finish = resolve)));
    await new Promise((r) => setTimeout(r, 5));
    let ranAgain = false;
    const other = new SlackEventDedup(store);
    expect(await other.answerOnce('command:T1', async () => ((ranAgain = true), 'again'))).toBe(COMMAND_IN_PROGRESS);
    finish('done');
    expect(await pending).toBe('done');
    expect(ranAgain).toBe(false);
  });
});
