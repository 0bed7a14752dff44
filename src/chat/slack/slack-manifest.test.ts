import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderSlackManifest, SLACK_BOT_SCOPES } from './slack-manifest.js';
import { readSlackConfig } from './slack-config.js';

describe('renderSlackManifest', () => {
  it('points events, interactivity and the command at /slack/events', () => {
    const manifest = parse(renderSlackManifest('https://sidekick.example.com/'));
    const url = 'https://sidekick.example.com/slack/events';
    expect(manifest.settings.event_subscriptions.request_url).toBe(url);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(manifest.features.slash_commands).toMatchObject([{ command: '/sidekick', url }]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['message.channels', 'message.groups', 'message.im', 'reaction_added', 'reaction_removed']);
    expect(manifest.features.shortcuts.map((s: { type: string; callback_id: string }) => `${s.type}:${s.callback_id}`)).toEqual(['message:sidekick_mark_decision', 'message:sidekick_mark_key_moment']);
    expect(manifest.oauth_config.scopes.bot).toEqual(Object.keys(SLACK_BOT_SCOPES));
    for (const scope of ['chat:write', 'channels:manage', 'channels:history', 'im:write', 'users:read', 'commands', 'bookmarks:write', 'pins:write', 'reactions:read']) {
      expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('has no URLs in Socket Mode', () => {
    const text = renderSlackManifest('https://sidekick.example.com', { socketMode: true });
    expect(text).not.toContain('https://sidekick.example.com');
    expect(parse(text).settings.socket_mode_enabled).toBe(true);
  });
});

describe('readSlackConfig', () => {
  it('takes tokens from the environment unless the file names them', () => {
    const config = readSlackConfig({ botToken: '' }, { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:1/api/' });
    expect(config).toMatchObject({ botToken: 'xoxb-1', signingSecret: 's', apiUrl: 'http://127.0.0.1:1/api/', sendRatePerSecond: 1 });
    expect(readSlackConfig({}, {}).botToken).toBeUndefined();
  });

  it('refuses bad values with the key named', () => {
    expect(() => readSlackConfig({ botToken: 'not-a-token' }, {})).toThrow(/botToken|xoxb/);
    expect(() => readSlackConfig({ retryForSeconds: 0 }, {})).toThrow(/retryForSeconds/);
    expect(() => readSlackConfig({ sendRatePerSecond: 0 }, {})).toThrow();
    expect(() => readSlackConfig({ apiUrl: 'javascript:alert(1)' }, {})).toThrow();
    expect(() => readSlackConfig({ tokn: 'x' }, {})).toThrow();
  });
});
