import { describe, expect, it } from 'vitest';
import { alertsConfigSchema } from './alerts-config.js';
import { redactHeaders } from './redact-headers.js';

describe('redactHeaders', () => {
  it('drops credentials, including the configured header, and keeps the rest', () => {
    const auth = alertsConfigSchema.parse({ sources: { opsgenie: { auth: { type: 'header', name: 'X-Og-Shared', value: 'v' } } } }).sources.opsgenie.auth;
    const kept = redactHeaders(
      {
        Authorization: 'Bearer secret',
        cookie: 'sid=1',
        'x-og-shared': 'v',
        'x-pagerduty-signature': 'v1=abc',
        'x-api-key': 'k',
        'dd-api-key': 'k',
        'x-auth-token': 't',
        'content-type': 'application/json',
        'x-webhook-id': 'whk-1',
        'user-agent': 'Alertmanager/0.25.0',
        'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
        'x-empty': undefined,
      },
      auth,
    );
    expect(kept).toEqual({
      'content-type': 'application/json',
      'x-webhook-id': 'whk-1',
      'user-agent': 'Alertmanager/0.25.0',
      'x-forwarded-for': '10.0.0.1, 10.0.0.2',
    });
  });
});
