import { describe, expect, it } from 'vitest';
import { measureCalls, type CallOutcome } from './measure-calls.js';

class FakeTracker {
  readonly name = 'github';
  #filed = 0;
  async file(title: string): Promise<string> {
    if (title === 'bad') throw new Error('422 Validation Failed');
    this.#filed += 1;
    return `issue ${this.#filed}`;
  }
  label(): string {
    return `filed ${this.#filed}`;
  }
}

describe('measureCalls', () => {
  it('times every asynchronous call by service and method, ok or error, and changes nothing else', async () => {
    const seen: [string, string, CallOutcome][] = [];
    const tracker = measureCalls(new FakeTracker(), (service, operation, outcome, ms) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      seen.push([service, operation, outcome]);
    });
    expect(await tracker.file('disk full')).toBe('issue 1');
    await expect(tracker.file('bad')).rejects.toThrow('422 Validation Failed');
    // Private fields still work through the wrapper, and a synchronous method is not counted.
    expect(tracker.label()).toBe('filed 1');
    expect(tracker.name).toBe('github');
    expect(tracker.file).toBe(tracker.file);
    expect(seen).toEqual([
      ['github', 'file', 'ok'],
      ['github', 'file', 'error'],
    ]);
  });
});
