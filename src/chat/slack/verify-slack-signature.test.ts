import { describe, expect, it } from 'vitest';
import { isValidSlackSignature, signSlackRequest, verifySlackSignature, SlackSignatureError } from './verify-slack-signature.js';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = Date.parse('2026-01-01T04:00:00Z');
const ts = String(Math.floor(now / 1000));
const body = 'token=x&team_id=T1&command=%2Fsidekick&text=declare+%24%28reboot%29';

function input(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) {
  return { signingSecret: secret, timestamp: ts, signature: signSlackRequest(secret, ts, body), rawBody: body, now, ...overrides };
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as SlackSignatureError).code;
  }
}

describe('verifySlackSignature', () => {
  it('accepts a request signed with our secret now', () => {
    expect(isValidSlackSignature(input())).toBe(true);
    expect(() => verifySlackSignature(input())).not.toThrow();
  });

  it('matches the example in Slack documentation', () => {
    // docs.slack.dev "Verifying requests from Slack" worked example.
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', docBody)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('refuses the wrong secret, a tampered body, a stale or future timestamp', () => {
    expect(codeOf(() => verifySlackSignature(input({ signature: signSlackRequest('other-secret', ts, body) })))).toBe('SLACK_SIGNATURE_MISMATCH');
    expect(codeOf(() => verifySlackSignature(input({ rawBody: body.replace('reboot', 'rebooT') })))).toBe('SLACK_SIGNATURE_MISMATCH');
    const stale = String(Number(ts) - 301);
    expect(codeOf(() => verifySlackSignature(input({ timestamp: stale, signature: signSlackRequest(secret, stale, body) })))).toBe('SLACK_SIGNATURE_STALE');
    const future = String(Number(ts) + 301);
    expect(codeOf(() => verifySlackSignature(input({ timestamp: future, signature: signSlackRequest(secret, future, body) })))).toBe('SLACK_SIGNATURE_STALE');
    const edge = String(Number(ts) - 300);
    expect(isValidSlackSignature(input({ timestamp: edge, signature: signSlackRequest(secret, edge, body) }))).toBe(true);
  });

  it('refuses hostile headers without throwing anything but its own error', () => {
    const hostile = ['', 'v1=' + 'a'.repeat(64), 'v0=', 'v0=' + 'g'.repeat(64), 'v0=' + 'a'.repeat(63), 'v0=' + 'a'.repeat(6400), 'v0=zz$(reboot)'];
    for (const signature of hostile) {
      expect(isValidSlackSignature(input({ signature }))).toBe(false);
    }
    for (const timestamp of ['', 'NaN', '1e9', '-1', ' 1', '0x10', '9'.repeat(40)]) {
      expect(isValidSlackSignature(input({ timestamp, signature: signSlackRequest(secret, timestamp, body) }))).toBe(false);
    }
    expect(codeOf(() => verifySlackSignature(input({ signingSecret: '' })))).toBe('SLACK_SIGNING_SECRET_MISSING');
    expect(codeOf(() => verifySlackSignature(input({ signature: undefined })))).toBe('SLACK_SIGNATURE_MISSING');
  });

  it('never puts the secret or the signature in its error message', () => {
    const signature = signSlackRequest('wrong', ts, body);
    try {
      verifySlackSignature(input({ signature }));
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
      expect(String((error as Error).message)).not.toContain(signature.slice(3));
    }
  });
});
