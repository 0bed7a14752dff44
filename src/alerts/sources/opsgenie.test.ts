import { describe, expect, it } from 'vitest';
import { fixture, request } from '../../../test/alerts/fixtures.js';
import { AlertPayloadError } from '../errors.js';
import { opsgenieSource } from './opsgenie.js';

const parse = (payload: unknown) => opsgenieSource.parse(payload, request(), {});

describe('opsgenie source', () => {
  it('keeps Acknowledge firing, resolves on Close, and records nothing for AddNote', () => {
    const [acknowledged] = parse(fixture('opsgenie/acknowledge.json'));
    const [closed] = parse(fixture('opsgenie/close.json'));
    expect(acknowledged).toMatchObject({ status: 'firing', dedupKey: 'disk-full-db-9' });
    expect(closed).toMatchObject({ status: 'resolved', dedupKey: 'disk-full-db-9' });
    // updatedAt is in nanoseconds.
    expect(closed.startsAt).toBe('2026-01-05T09:00:00.789Z');
    expect(acknowledged.deliveryId).not.toBe(closed.deliveryId);
    expect(parse(fixture('opsgenie/add-note.json'))).toEqual([]);
  });

  it('falls back to the alert id without an alias and to warning without a priority', () => {
    const [alert] = parse({ action: 'Create', alert: { alertId: 'abc', message: 'm' } });
    expect(alert).toMatchObject({ dedupKey: 'abc', severity: 'warning', deliveryId: undefined });
  });

  it('refuses payloads that are not Opsgenie webhooks', () => {
    expect(() => parse({ alert: {} })).toThrow(AlertPayloadError);
    expect(() => parse({ action: 'Create', alert: { message: 'no id' } })).toThrow(/alias/);
  });
});
