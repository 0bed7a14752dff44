import { describe, expect, it } from 'vitest';
import { REDACTED, configuredSecrets, redactSecrets, redactValue } from './redact.js';

describe('redactSecrets', () => {
  const cases: [string, string, string][] = [
    ['Slack bot token', 'SLACK_BOT_TOKEN=xoxb-1234567890-0987654321-abcdefABCDEF', 'xoxb-'],
    ['Slack app token', 'xapp-1-A0123456789-1234567890123-abcdef0123456789', 'xapp-1-A0'],
    ['Slack webhook', 'curl https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX', 'XXXXXXXXXXXXXXXX'],
    ['GitHub classic', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abc'],
    ['GitHub fine-grained', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_11'],
    ['AWS key id', 'aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI'],
    ['password pair', 'mysql -h db-7 --password=hunter2 -e "select 1"', 'hunter2'],
    ['password flag', 'mysqladmin --password hunter2 status', 'hunter2'],
    ['JSON password', '{"user":"root","password":"hunter2"}', 'hunter2'],
    ['YAML secret', 'client_secret: s3cr3t-value', 's3cr3t-value'],
    ['Bearer header', 'curl -H "Authorization: Bearer abc.def.ghi1234567" https://api', 'abc.def.ghi'],
    ['Basic header', 'Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
    ['bare bearer', 'sent bearer eyJhbGciOi1234567890 along', 'eyJhbGciOi1234567890'],
    ['JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'dozjgNry'],
    ['URL credentials', 'DATABASE_URL=postgres://app:s3cr3tpw@db:5432/x', 's3cr3tpw'],
    ['Datadog query key', 'https://api.datadoghq.com/api/v1/x?api_key=0123456789abcdef0123456789abcdef&x=1', '0123456789abcdef'],
    ['Datadog header', 'DD-API-KEY: 0123456789abcdef0123456789abcdef', '0123456789abcdef'],
    ['private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAA'],
    ['truncated private key', 'key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA', 'MIIEowIBAAKCAQEA'],
    ['Google key', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', 'AIzaSyA-123'],
  ];
  for (const [name, text, secret] of cases) {
    it(`hides a ${name}`, () => {
      const out = redactSecrets(text);
      expect(out).not.toContain(secret);
      expect(out).toContain(REDACTED);
    });
  }

  it('keeps the key name so readers see what was hidden', () => {
    expect(redactSecrets('mysql --password=hunter2 -h db')).toBe(`mysql --password=${REDACTED} -h db`);
    expect(redactSecrets('{"password": "hunter2"}')).toBe(`{"password": "${REDACTED}"}`);
  });

  it('hides exact configured secrets that match no pattern, longest first', () => {
    expect(redactSecrets('the word is correct-horse-battery and correct-horse', ['correct-horse', 'correct-horse-battery'])).toBe(`the word is ${REDACTED} and ${REDACTED}`);
  });

  it('ignores configured "secrets" too short to redact safely', () => {
    expect(redactSecrets('a b c abc', ['abc', '', 'b'])).toBe('a b c abc');
  });

  it('leaves ordinary incident text alone', () => {
    const text = 'PWD=/var/lib/mysql; replication lag 300s on db-7; see https://grafana.example/d/abc?from=now-1h; monkey business';
    expect(redactSecrets(text)).toBe(text);
  });

  it('never nests markers when run twice', () => {
    const once = redactSecrets('password=hunter2 token: xoxb-1234567890-abcdefghij');
    expect(redactSecrets(once)).toBe(once);
    expect(redactSecrets('--password=\\[REDACTED\\]')).toBe('--password=\\[REDACTED\\]');
  });

  it('stays linear on hostile input', () => {
    const hostile = ['password='.repeat(100_000), 'a'.repeat(1_000_000), '-----BEGIN PRIVATE KEY-----\n'.repeat(20_000), 'Authorization: '.repeat(50_000), 'x://a:'.repeat(50_000)];
    for (const text of hostile) expect(typeof redactSecrets(text)).toBe('string');
  });
});

describe('redactValue', () => {
  it('hides values under secret-looking keys and patterns in nested strings, leaving the input untouched', () => {
    const input = { alert: { api_key: 'abc123', labels: { Authorization: 'x', host: 'db-7' }, notes: ['token=abc123def'] }, n: 3, ok: true, nothing: null };
    const out = redactValue(input);
    expect(out).toEqual({ alert: { api_key: REDACTED, labels: { Authorization: REDACTED, host: 'db-7' }, notes: [`token=${REDACTED}`] }, n: 3, ok: true, nothing: null });
    expect(input.alert.api_key).toBe('abc123');
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactValue(a)).toEqual({ name: 'a', self: '[Circular]' });
  });

  it('redacts an object reached twice (shared, not a cycle) both times', () => {
    const graph = { title: 'lag', url: 'https://x.example/?token=xoxb-123456789012-abcdefghijkl' };
    const out = redactValue({ timeline: [{ graph }], graphs: [graph] });
    expect(out.graphs[0]).toEqual(out.timeline[0]!.graph);
    expect(out.graphs[0]!.title).toBe('lag');
    expect(JSON.stringify(out)).not.toContain('xoxb-123456789012');
  });
});

describe('configuredSecrets', () => {
  it('collects the secret variables and the database password', () => {
    expect(configuredSecrets({ GITHUB_TOKEN: 'ghp_x', SLACK_BOT_TOKEN: '', DATABASE_URL: 'postgres://u:p%40ss@h/db', HOME: '/root' })).toEqual(['ghp_x', 'p@ss']);
  });
});
