import { describe, expect, it } from 'vitest';
import { fixture, request } from '../../../test/alerts/fixtures.js';
import { AlertPayloadError } from '../errors.js';
import { genericMappingSchema } from '../generic-mapping.js';
import { genericSource } from './generic.js';

const parse = (payload: unknown, mapping?: unknown) => genericSource.parse(payload, request(), { mapping: mapping === undefined ? undefined : genericMappingSchema.parse(mapping) });

describe('generic source', () => {
  it('turns non-text labels into text and accepts links as strings or objects', () => {
    const [alert] = parse(fixture('generic/simple.json'));
    expect(alert.labels).toEqual({ host: 'db-3', retries: '3', nested: '{"a":1}' });
    expect(alert.links).toEqual([
      { title: 'ci.example.com', url: 'https://ci.example.com/1' },
      { title: 'Log', url: 'https://ci.example.com/1/log' },
    ]);
    expect(alert.startsAt).toBe('2026-01-04T04:13:20.000Z');
    expect(alert.severity).toBe('high');
  });

  it('knows common status words', () => {
    expect(parse(fixture('generic/resolved.json'))[0].status).toBe('resolved');
    expect(parse({ key: 'k', status: 'Recovered' })[0].status).toBe('resolved');
    expect(parse({ key: 'k' })[0].status).toBe('firing');
  });

  it('maps a top-level array as several alerts, each raw being its element', () => {
    const alerts = parse(fixture('generic/batch.json'));
    expect(alerts.map((alert) => [alert.dedupKey, alert.status, alert.severity])).toEqual([
      ['a', 'firing', 'warning'],
      ['b', 'resolved', 'critical'],
    ]);
    expect(alerts[1].raw).toEqual({ key: 'b', title: 'B recovered', status: 'resolved', severity: 'P1' });
  });

  it('follows a configured mapping with JSONPath, dotted paths, per-label paths and status and severity maps', () => {
    const [alert] = parse(fixture('generic/zabbix-like.json'), {
      key: '$.trigger.id',
      title: 'event.name',
      status: 'event.value',
      severity: '$.event.nseverity',
      labels: { host: 'event.host.name', ip: '$.event.host.ip', missing: 'event.nope' },
      deliveryId: 'event.id',
      statusMap: { PROBLEM: 'firing', OK: 'resolved' },
      severityMap: { Disaster: 'critical' },
    });
    expect(alert).toMatchObject({
      dedupKey: '13579',
      title: 'High CPU on web-2',
      status: 'firing',
      severity: 'critical',
      labels: { host: 'web-2', ip: '10.0.0.2' },
      deliveryId: 'ev-771',
    });
    expect(alert.labels).not.toHaveProperty('missing');
  });

  it('reads a list of alerts from a configured path', () => {
    const alerts = parse(
      {
        data: {
          items: [
            { id: 1, name: 'one' },
            { id: 2, name: 'two' },
          ],
        },
      },
      { alerts: 'data.items', key: 'id', title: 'name' },
    );
    expect(alerts.map((alert) => alert.dedupKey)).toEqual(['1', '2']);
    expect(() => parse({ data: {} }, { alerts: 'data.items' })).toThrow(/expected an array of alerts at "data.items"/);
  });

  it('uses the title as key when there is no key, and refuses when there is neither', () => {
    expect(parse({ title: 'Disk full' })[0].dedupKey).toBe('Disk full');
    expect(() => parse({ status: 'firing' })).toThrow(/neither a key at "key" nor a title at "title"/);
  });

  it('refuses a status it does not know, saying where to map it', () => {
    expect(() => parse(fixture('generic/unknown-status.json'))).toThrow(AlertPayloadError);
    expect(() => parse(fixture('generic/unknown-status.json'))).toThrow(/statusMap/);
  });

  it('never follows paths into JavaScript internals', () => {
    const [alert] = parse({ title: 'x' }, { key: 'constructor.name', labels: { proto: '__proto__.polluted', len: 'title.length' } });
    expect(alert.dedupKey).toBe('x');
    expect(alert.labels).toEqual({});
    expect(() => parse({ key: 'k', status: 'constructor' })).toThrow(/neither firing nor resolved/);
    expect(parse({ key: 'k', severity: 'toString' })[0].severity).toBe('warning');
  });

  it('keeps template syntax and shell metacharacters as text', () => {
    const [alert] = parse({ key: '$(id)', title: '{{ incident.id }}; `reboot`', labels: { cmd: '; rm -rf /' } });
    expect(alert).toMatchObject({ dedupKey: '$(id)', title: '{{ incident.id }}; `reboot`', labels: { cmd: '; rm -rf /' } });
  });

  it('refuses elements that are not objects', () => {
    expect(() => parse([{ key: 'a' }, 'b'])).toThrow(/alerts\[1\]: expected a JSON object/);
    expect(() => parse(42)).toThrow(/expected a JSON object/);
  });
});
