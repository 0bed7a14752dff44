import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertsConfigSchema, type SourceAuth } from './alerts-config.js';
import { verifyRequest } from './verify-request.js';

const body = Buffer.from('{"event":{"event_type":"incident.triggered"}}');
const now = new Date('2026-01-01T04:00:00.000Z');
const req = (headers: Record<string, string | string[]>, rawBody = body) => ({ headers, rawBody, now });
const authOf = (source: string, auth: unknown): SourceAuth[] => alertsConfigSchema.parse({ sources: { [source]: { auth } } }).sources[source].auth;
const check = (auth: SourceAuth[], headers: Record<string, string | string[]>, rawBody = body) => verifyRequest(auth, req(headers, rawBody), { allowUnauthenticated: false });
const hex = (secret: string, text: Buffer | string) => createHmac('sha256', secret).update(text).digest('hex');

describe('verifyRequest', () => {
  describe('without a credential', () => {
    it('accepts on a loopback bind only', () => {
      expect(verifyRequest([], req({}), { allowUnauthenticated: true })).toBeUndefined();
      expect(verifyRequest([], req({}), { allowUnauthenticated: false })).toMatch(/not bound to loopback/);
    });
  });

  describe('bearer', () => {
    const auth = authOf('alertmanager', { type: 'bearer', token: 'test-webhook-token' });
    it('accepts the right token, in any scheme case', () => {
      expect(check(auth, { authorization: 'Bearer test-webhook-token' })).toBeUndefined();
      expect(check(auth, { Authorization: 'bearer test-webhook-token' })).toBeUndefined();
    });
    it.each([
      [{}, /missing Authorization/],
      [{ authorization: 'Bearer wrong' }, /does not match/],
      [{ authorization: 'Bearer test-webhook-token-and-more' }, /does not match/],
      [{ authorization: 'Bearer t' }, /does not match/],
      [{ authorization: 'Basic dGVzdDp0ZXN0' }, /not a Bearer token/],
      [{ authorization: 'test-webhook-token' }, /not a Bearer token/],
    ])('refuses %j', (headers, reason) => {
      const refusal = check(auth, headers);
      expect(refusal).toMatch(reason);
      expect(refusal).not.toContain('test-webhook-token');
    });
    it('accepts either of two rotating tokens', () => {
      const rotating = authOf('alertmanager', [
        { type: 'bearer', token: 'old' },
        { type: 'bearer', token: 'new' },
      ]);
      expect(check(rotating, { authorization: 'Bearer old' })).toBeUndefined();
      expect(check(rotating, { authorization: 'Bearer new' })).toBeUndefined();
      expect(check(rotating, { authorization: 'Bearer older' })).toBe('the bearer token does not match');
    });
  });

  describe('basic', () => {
    const auth = authOf('datadog', { type: 'basic', username: 'datadog', password: 'pa:ss wörd' });
    const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
    it('accepts the right pair, with a colon and unicode in the password', () => {
      expect(check(auth, { authorization: basic('datadog:pa:ss wörd') })).toBeUndefined();
    });
    it.each([
      ['datadog:wrong', /do not match/],
      ['other:pa:ss wörd', /do not match/],
      ['datadog', /user:password/],
      ['', /not HTTP Basic|user:password/],
    ])('refuses %j', (pair, reason) => {
      expect(check(auth, { authorization: basic(pair) })).toMatch(reason);
    });
    it('refuses garbage after Basic', () => {
      expect(check(auth, { authorization: 'Basic $(id)' })).toMatch(/not HTTP Basic/);
    });
  });

  describe('header', () => {
    const auth = authOf('opsgenie', { type: 'header', name: 'X-Sidekick-Token', value: 's3cret' });
    it('accepts the right value whatever the header name case', () => {
      expect(check(auth, { 'x-sidekick-token': 's3cret' })).toBeUndefined();
    });
    it('refuses a missing, wrong, longer or repeated value', () => {
      expect(check(auth, {})).toBe('missing X-Sidekick-Token header');
      expect(check(auth, { 'x-sidekick-token': 's3cre' })).toMatch(/does not match/);
      expect(check(auth, { 'x-sidekick-token': 's3cret ' })).toMatch(/does not match/);
      expect(check(auth, { 'x-sidekick-token': ['s3cret', 'other'] })).toMatch(/does not match/);
    });
  });

  describe('hmac (PagerDuty v1= signatures)', () => {
    const auth = authOf('pagerduty', { type: 'hmac', secret: 'pd-secret' });
    const signature = `v1=${hex('pd-secret', body)}`;
    it('accepts the right signature, alone or among several during a rotation', () => {
      expect(check(auth, { 'x-pagerduty-signature': signature })).toBeUndefined();
      expect(check(auth, { 'x-pagerduty-signature': `v1=${hex('old-secret', body)},${signature}` })).toBeUndefined();
      expect(check(auth, { 'X-PagerDuty-Signature': `${signature.toUpperCase().replace('V1=', 'v1=')}` })).toBeUndefined();
    });
    it.each([
      ['missing', {}, /missing X-PagerDuty-Signature/],
      ['wrong secret', { 'x-pagerduty-signature': `v1=${hex('another-secret', body)}` }, /does not match/],
      ['no prefix', { 'x-pagerduty-signature': hex('pd-secret', body) }, /does not match/],
      ['other version', { 'x-pagerduty-signature': `v2=${hex('pd-secret', body)}` }, /does not match/],
      ['wrong length', { 'x-pagerduty-signature': `v1=${hex('pd-secret', body).slice(0, 40)}` }, /does not match/],
      ['odd length', { 'x-pagerduty-signature': `v1=${hex('pd-secret', body).slice(1)}` }, /does not match/],
      ['not hex', { 'x-pagerduty-signature': `v1=${'zz'.repeat(32)}` }, /does not match/],
      ['empty', { 'x-pagerduty-signature': '' }, /missing/],
    ])('refuses a %s signature', (_name, headers, reason) => {
      expect(check(auth, headers)).toMatch(reason);
    });
    it('refuses a signature over a different body (a tampered payload)', () => {
      expect(check(auth, { 'x-pagerduty-signature': signature }, Buffer.from('{"event":{"event_type":"incident.resolved"}}'))).toMatch(/does not match/);
    });
    it('checks only the first few of an enormous list of signatures', () => {
      const many = Array.from({ length: 500 }, () => `v1=${'0'.repeat(64)}`)
        .concat(signature)
        .join(',');
      expect(check(auth, { 'x-pagerduty-signature': many })).toMatch(/does not match/);
    });
  });

  describe('hmac with a timestamp (Grafana) and replays', () => {
    const auth = authOf('grafana', { type: 'hmac', secret: 'g', timestampHeader: 'X-Grafana-Alerting-Signature-Timestamp', replayWindow: '5m' });
    const at = (seconds: number) => {
      const stamp = String(seconds);
      return { 'x-grafana-alerting-signature': hex('g', `${stamp}:${body.toString()}`), 'x-grafana-alerting-signature-timestamp': stamp };
    };
    const nowSeconds = now.getTime() / 1000;
    it('accepts a fresh signature over "<timestamp>:<body>"', () => {
      expect(check(auth, at(nowSeconds - 10))).toBeUndefined();
    });
    it('refuses a replay older than the window, a timestamp from the future, and a swapped timestamp', () => {
      expect(check(auth, at(nowSeconds - 301))).toMatch(/outside the replay window of 5m/);
      expect(check(auth, at(nowSeconds + 301))).toMatch(/outside the replay window/);
      const headers = at(nowSeconds - 10);
      expect(check(auth, { ...headers, 'x-grafana-alerting-signature-timestamp': String(nowSeconds - 11) })).toMatch(/does not match/);
      expect(check(auth, { ...headers, 'x-grafana-alerting-signature-timestamp': 'yesterday' })).toMatch(/not a unix time/);
      expect(check(auth, { 'x-grafana-alerting-signature': headers['x-grafana-alerting-signature'] })).toMatch(/missing X-Grafana-Alerting-Signature-Timestamp/);
    });
  });

  it('reads base64 signatures with a prefix', () => {
    const auth = authOf('generic', { type: 'hmac', header: 'X-Signature', secret: 'k', encoding: 'base64', prefix: 'sha256=' });
    const signature = createHmac('sha256', 'k').update(body).digest('base64');
    expect(check(auth, { 'x-signature': `sha256=${signature}` })).toBeUndefined();
    expect(check(auth, { 'x-signature': `sha256=${signature.slice(4)}` })).toMatch(/does not match/);
  });
});
