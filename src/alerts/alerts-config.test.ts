import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { alertsConfigSchema, sourceConfigOf, unauthenticatedSources } from './alerts-config.js';

const issuesOf = (input: unknown) => {
  const result = alertsConfigSchema.safeParse(input);
  if (result.success) throw new Error('expected the config to be refused');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('alerts config', () => {
  it('has defaults for everything', () => {
    const config = alertsConfigSchema.parse({});
    expect(config).toEqual({
      maxBodyBytes: 1024 * 1024,
      dedupWindow: 300_000,
      sources: {},
      grouping: { by: [], flapWindow: 600_000, digestInterval: 60_000, resolveWhen: 'all', storm: { maxNewIncidents: 10, window: 60_000 } },
    });
    expect(sourceConfigOf(config, 'datadog')).toEqual({ enabled: true, auth: [] });
    expect(sourceConfigOf(config, 'generic').mapping?.key).toBe('key');
    expect(unauthenticatedSources(config)).toEqual(['datadog', 'alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'generic']);
  });

  it('reads every auth kind and fills PagerDuty signature defaults', () => {
    const config = alertsConfigSchema.parse({
      dedupWindow: '90s',
      grouping: { by: ['service', 'cluster'], flapWindow: '1h30m', resolveWhen: 'any' },
      sources: {
        datadog: { auth: { type: 'basic', username: 'dd', password: 'pw' } },
        alertmanager: {
          auth: [
            { type: 'bearer', token: 'old' },
            { type: 'bearer', token: 'new' },
          ],
        },
        opsgenie: { auth: { type: 'header', name: 'X-Sidekick-Token', value: 't' } },
        pagerduty: { auth: { type: 'hmac', secret: 's' } },
        grafana: { enabled: false },
        generic: { auth: { type: 'hmac', header: 'X-Signature', secret: 's', encoding: 'base64', prefix: 'sha256=' }, mapping: { key: '$.id' } },
      },
    });
    expect(config.dedupWindow).toBe(90_000);
    expect(config.grouping).toMatchObject({ by: ['service', 'cluster'], flapWindow: 5_400_000, resolveWhen: 'any' });
    expect(config.sources.pagerduty.auth).toEqual([{ type: 'hmac', header: 'X-PagerDuty-Signature', prefix: 'v1=', encoding: 'hex', secret: 's', algorithm: 'sha256', replayWindowMs: 300_000 }]);
    expect(config.sources.alertmanager.auth).toHaveLength(2);
    expect(config.sources.generic.mapping).toMatchObject({ key: '$.id', title: 'title' });
    expect(config.sources.generic.auth[0]).toMatchObject({ header: 'X-Signature', encoding: 'base64', prefix: 'sha256=' });
    expect(unauthenticatedSources(config)).toEqual([]);
  });

  it('keeps the vendor prefix when the vendor header is named explicitly, in any case', () => {
    const config = alertsConfigSchema.parse({ sources: { pagerduty: { auth: { type: 'hmac', header: 'x-pagerduty-signature', secret: 's' } } } });
    expect(config.sources.pagerduty.auth[0]).toMatchObject({ prefix: 'v1=' });
  });

  it.each([
    [{ dedupWindow: '5 minutes' }, /^dedupWindow: .*is not a duration.*expected e\.g\. 500ms/],
    [{ dedupWindow: 300 }, /^dedupWindow: expected a duration string/],
    [{ maxBodyBytes: '1MB' }, /^maxBodyBytes: expected a number of bytes/],
    [{ maxBodyBytes: 10 }, /^maxBodyBytes: expected at least 1024 bytes/],
    [{ sources: { datdog: {} } }, /^sources\.datdog: unknown alert source "datdog"; expected one of datadog, /],
    [{ sources: { datadog: { auth: { type: 'token', token: 'x' } } } }, /^sources\.datadog\.auth.*(bearer, basic, header, hmac|Invalid)/],
    [{ sources: { datadog: { auth: { type: 'bearer', token: '' } } } }, /^sources\.datadog\.auth(\.token)?: .*(environment variable|Invalid)/],
    [{ sources: { generic: { auth: { type: 'hmac', secret: 's' } } } }, /^sources\.generic\.auth\.header: expected the name of the header/],
    [
      {
        sources: {
          generic: {
            auth: [
              { type: 'bearer', token: 't' },
              { type: 'hmac', secret: 's' },
            ],
          },
        },
      },
      /^sources\.generic\.auth\.1\.header: /,
    ],
    [{ sources: { datadog: { mapping: {} } } }, /^sources\.datadog\.mapping: only the generic source takes a mapping/],
    [{ sources: { generic: { mapping: { key: '$[' } } } }, /^sources\.generic\.mapping\.key: not a valid JSONPath/],
    [{ sources: { generic: { mapping: { key: 'a..b' } } } }, /^sources\.generic\.mapping\.key: expected a dotted path/],
    [{ sources: { generic: { mapping: { severityMap: { x: 'urgent' } } } } }, /^sources\.generic\.mapping\.severityMap\.x: /],
    [{ sources: { opsgenie: { auth: { type: 'header', name: 'bad header: x', value: 'v' } } } }, /^sources\.opsgenie\.auth\.name: expected an HTTP header name/],
    [{ grouping: { resolveWhen: 'most' } }, /^grouping\.resolveWhen: expected all or any/],
    [{ grouping: { by: [''] } }, /^grouping\.by\.0: expected a label name/],
    [{ maxbodybytes: 5 }, /maxbodybytes/],
  ])('refuses %j naming the key and what was expected', (input, expected) => {
    expect(issuesOf(input).join('\n')).toMatch(expected);
  });

  it('does not let a source named __proto__ or constructor through', () => {
    // zod drops a `__proto__` key; what matters is that it neither configures nor pollutes anything.
    const parsed = alertsConfigSchema.safeParse(JSON.parse('{"sources":{"__proto__":{"enabled":false}}}'));
    if (parsed.success) {
      expect(Object.keys(parsed.data.sources)).toEqual([]);
      expect(sourceConfigOf(parsed.data, 'datadog').enabled).toBe(true);
    } else expect(parsed.error.issues[0].message).toMatch(/unknown alert source "__proto__"/);
    expect(({} as Record<string, unknown>).enabled).toBeUndefined();
    expect(issuesOf({ sources: { constructor: {} } }).join()).toMatch(/unknown alert source "constructor"/);
    expect(sourceConfigOf(alertsConfigSchema.parse({}), 'constructor')).toMatchObject({ auth: [] });
  });

  it('exports as JSON Schema for the editor', () => {
    const schema = z.toJSONSchema(alertsConfigSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['maxBodyBytes', 'dedupWindow', 'sources', 'grouping']);
  });
});

describe('alerts.grouping.storm', () => {
  it('takes a limit and a window, and 0 turns the guard off', () => {
    expect(alertsConfigSchema.parse({ grouping: { storm: { maxNewIncidents: 0, window: '5m' } } }).grouping.storm).toEqual({ maxNewIncidents: 0, window: 300_000 });
    expect(alertsConfigSchema.safeParse({ grouping: { storm: { maxNewIncidents: -1 } } }).success).toBe(false);
    expect(alertsConfigSchema.safeParse({ grouping: { storm: { window: 'soon' } } }).success).toBe(false);
  });
});
