import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { addLogContext, logContextMixin, withLogContext } from './log-context.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ mixin: logContextMixin }, sink), lines };
}

describe('log context', () => {
  it('puts the ids of the work in progress on every line, across awaits, and keeps concurrent work apart', async () => {
    const { log, lines } = capture();
    const job = (jobId: string, incidentId: string) =>
      withLogContext({ jobId }, async () => {
        log.info('claimed');
        await new Promise((resolve) => setTimeout(resolve, 5));
        addLogContext({ incidentId, runId: undefined });
        await Promise.resolve();
        log.warn('slack retry');
      });
    await Promise.all([job('j1', 'inc-1'), job('j2', 'inc-2')]);
    log.info('outside');
    const seen = lines.map(({ msg, jobId, incidentId }) => [msg, jobId, incidentId]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['claimed', 'j1', undefined],
        ['claimed', 'j2', undefined],
        ['slack retry', 'j1', 'inc-1'],
        ['slack retry', 'j2', 'inc-2'],
        ['outside', undefined, undefined],
      ]),
    );
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => !('runId' in line))).toBe(true);
  });

  it('nests: inner fields add to the outer ones without changing them', () => {
    withLogContext({ jobId: 'j1' }, () => {
      withLogContext({ boxId: 'hello' }, () => expect(logContextMixin()).toEqual({ jobId: 'j1', boxId: 'hello' }));
      expect(logContextMixin()).toEqual({ jobId: 'j1' });
    });
    addLogContext({ incidentId: 'ignored' });
    expect(logContextMixin()).toEqual({});
  });
});
