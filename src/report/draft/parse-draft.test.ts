import { describe, expect, it } from 'vitest';
import { parseDraftAnswer } from './parse-draft.js';
import { DraftError } from './draft-error.js';

const refs = new Map([
  ['E1', 'entry-a'],
  ['E2', 'entry-b'],
]);

describe('reading the model\u2019s answer', () => {
  it('keeps real citations in every spelling, drops invented ones and sentences left with none', () => {
    const answer = JSON.stringify({
      summary: [{ text: '  The  database\nfailed.  ', cites: ['E1', '[E2]', 2, 'e1', 'E77'] }],
      whatHappened: [
        { text: 'Invented.', cites: ['E3'] },
        { text: 'No citation.', cites: [] },
        { text: '', cites: ['E1'] },
      ],
      contributingFactors: [{ text: 'Lag.', cites: ['E2'] }],
    });
    const { sections, dropped } = parseDraftAnswer(answer, refs);
    expect(sections.summary).toEqual([{ text: 'The database failed.', cites: ['entry-a', 'entry-b'] }]);
    expect(sections.whatHappened).toEqual([]);
    expect(sections.contributingFactors).toEqual([{ text: 'Lag.', cites: ['entry-b'] }]);
    expect(dropped).toBe(2);
  });

  it('finds the JSON in a code fence or after prose (servers that ignore response_format)', () => {
    const json = '{"summary":[{"text":"A.","cites":["E1"]}]}';
    for (const content of ['```json\n' + json + '\n```', `Here is the draft:\n${json}\nHope it helps.`]) {
      expect(parseDraftAnswer(content, refs).sections.summary).toEqual([{ text: 'A.', cites: ['entry-a'] }]);
    }
  });

  it.each([
    ['prose only', 'The database failed because of lag.'],
    ['the wrong shape', '{"summary":"The database failed."}'],
    ['nothing cited', '{"summary":[{"text":"A.","cites":["E9"]}]}'],
    ['a hostile payload', '{"summary":[{"text":"{{ 7*7 }} $(rm -rf /)","cites":"E1"}]}'],
  ])('refuses %s with AI_BAD_ANSWER', (_name, content) => {
    expect(() => parseDraftAnswer(content, refs)).toThrow(DraftError);
    try {
      parseDraftAnswer(content, refs);
    } catch (error) {
      expect((error as DraftError).code).toBe('AI_BAD_ANSWER');
    }
  });
});
