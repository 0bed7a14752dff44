import { describe, expect, it } from 'vitest';
import { fixture, request } from '../../../test/alerts/fixtures.js';
import { AlertPayloadError } from '../errors.js';
import { pagerdutySource } from './pagerduty.js';

const parse = (payload: unknown, headers: Record<string, string> = {}) => pagerdutySource.parse(payload, request(headers), {});

describe('pagerduty source', () => {
  it('uses the event id as delivery id without an X-Webhook-Id header', () => {
    expect(parse(fixture('pagerduty/triggered.json'))[0].deliveryId).toBe('01DEN7QH5R7XRQJ4FMCCPEXZ4K');
  });

  it('keeps an acknowledged incident firing and resolves it on incident.resolved', () => {
    const [acknowledged] = parse(fixture('pagerduty/acknowledged.json'));
    const [resolved] = parse(fixture('pagerduty/resolved.json'));
    expect(acknowledged).toMatchObject({ status: 'firing', labels: { pagerduty_event: 'incident.acknowledged' } });
    expect(resolved).toMatchObject({ status: 'resolved', dedupKey: 'Q1K7V3ZB2LZ8C4', startsAt: '2026-01-05T03:01:02.500Z' });
    // No priority and low urgency.
    expect(resolved.severity).toBe('warning');
  });

  it('records nothing for notes, pings and service events', () => {
    expect(parse(fixture('pagerduty/annotated.json'))).toEqual([]);
    expect(parse(fixture('pagerduty/ping.json'))).toEqual([]);
    expect(parse({ event: { event_type: 'service.updated', data: {} } })).toEqual([]);
  });

  it('refuses what is not a V3 envelope, and incident events without an incident', () => {
    expect(() => parse({ messages: [] })).toThrow(AlertPayloadError);
    expect(() => parse({ event: { event_type: 7 } })).toThrow(/event\.event_type/);
    expect(() => parse({ event: { event_type: 'incident.triggered', data: {} } })).toThrow(/event\.data\.id/);
  });

  it('declares the v1= signature header as its HMAC default', () => {
    expect(pagerdutySource.hmacDefaults).toMatchObject({ header: 'X-PagerDuty-Signature', prefix: 'v1=' });
  });
});
