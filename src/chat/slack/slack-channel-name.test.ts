import { describe, expect, it } from 'vitest';
import { suffixChannelName, toSlackChannelName } from './slack-channel-name.js';

const VALID = /^[a-z0-9_-]{1,80}$/;

describe('toSlackChannelName', () => {
  it('makes readable valid names from titles', () => {
    expect(toSlackChannelName('INC-1042: MySQL replication lag')).toBe('inc-1042-mysql-replication-lag');
    expect(toSlackChannelName('Zürich DC — Größe überschritten')).toBe('zurich-dc-grosse-uberschritten');
    expect(toSlackChannelName('inc_7 disk  full!!')).toBe('inc_7-disk-full');
  });

  it('survives hostile and empty input', () => {
    for (const input of ['', '   ', '🚀🚀', '$(reboot); rm -rf /', '`id`', '#general', '../../etc', 'a'.repeat(500), '-'.repeat(90), '\u0000\u202e']) {
      const name = toSlackChannelName(input);
      expect(name).toMatch(VALID);
      expect(name).not.toMatch(/^[-_]|[-_]$/);
    }
    expect(toSlackChannelName('🚀')).toBe('incident');
  });

  it('suffixes within 80 characters', () => {
    const long = toSlackChannelName('x'.repeat(200));
    expect(suffixChannelName(long, 12)).toMatch(/^x{77}-12$/);
    expect(suffixChannelName('inc-1', 1)).toBe('inc-1');
    expect(suffixChannelName('inc-1', 2)).toBe('inc-1-2');
  });
});
