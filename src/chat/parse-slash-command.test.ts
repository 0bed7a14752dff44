import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from './parse-slash-command.js';

describe('parseSlashCommand', () => {
  it('understands every command', () => {
    expect(parseSlashCommand('')).toEqual({ kind: 'help' });
    expect(parseSlashCommand('  HELP ')).toEqual({ kind: 'help' });
    expect(parseSlashCommand('declare   MySQL   replication lag ')).toEqual({ kind: 'declare', title: 'MySQL replication lag' });
    expect(parseSlashCommand('status Resolved')).toEqual({ kind: 'status', status: 'resolved' });
    expect(parseSlashCommand('severity critical')).toEqual({ kind: 'severity', severity: 'critical' });
    expect(parseSlashCommand('sev info')).toEqual({ kind: 'severity', severity: 'info' });
    expect(parseSlashCommand('update Failover done.\nWatching lag.')).toEqual({ kind: 'update', text: 'Failover done.\nWatching lag.' });
  });

  it('reads a follow-up and its trailing owner', () => {
    expect(parseSlashCommand('followup Alert on  tunnel loss <@U0AB12|alice>')).toEqual({ kind: 'followup', text: 'Alert on tunnel loss', owner: { name: 'alice', userId: 'U0AB12' } });
    expect(parseSlashCommand('followup Alert on tunnel loss <@U0AB12>')).toEqual({ kind: 'followup', text: 'Alert on tunnel loss', owner: { name: 'U0AB12', userId: 'U0AB12' } });
    expect(parseSlashCommand('follow-up Rotate keys @bob.smith')).toEqual({ kind: 'followup', text: 'Rotate keys', owner: { name: 'bob.smith' } });
    // Only a trailing mention is the owner; one inside the text stays text.
    expect(parseSlashCommand('followup ask @bob about $(id)')).toEqual({ kind: 'followup', text: 'ask @bob about $(id)' });
  });

  it('decodes Slack entities once, so titles are stored as typed', () => {
    expect(parseSlashCommand('declare a &lt;b&gt; &amp;amp; c')).toEqual({ kind: 'declare', title: 'a <b> &amp; c' });
  });

  it('refuses what it cannot do, in words, for hostile input too', () => {
    const hostile = [
      'declare',
      'declare ' + 'x'.repeat(201),
      'status',
      'status mitigated now',
      'status $(reboot)',
      'severity sev1',
      'update',
      'update ' + 'y'.repeat(3001),
      'followup',
      'followup   @alice',
      'followup <@U123|alice>',
      'followup ' + 'z'.repeat(1001),
      'rm -rf /',
      '`id`',
      '{{ 7*7 }}',
      '\u0000\u202e declare',
    ];
    for (const text of hostile) {
      const parsed = parseSlashCommand(text);
      expect(parsed.kind, text).toBe('invalid');
      if (parsed.kind === 'invalid') expect(parsed.problem.length).toBeGreaterThan(10);
    }
  });

  it('reads acknowledgements and role hand-overs: mentions, typed names, me and none', () => {
    expect(parseSlashCommand('ack')).toEqual({ kind: 'ack' });
    expect(parseSlashCommand('Acknowledge')).toEqual({ kind: 'ack' });
    expect(parseSlashCommand('role ic <@U123|alice>')).toEqual({ kind: 'role', role: 'commander', holder: { kind: 'person', userId: 'U123', name: 'alice' } });
    expect(parseSlashCommand('role comms <@U9>')).toEqual({ kind: 'role', role: 'communications', holder: { kind: 'person', userId: 'U9', name: 'U9' } });
    expect(parseSlashCommand('role commander @bob')).toEqual({ kind: 'role', role: 'commander', holder: { kind: 'person', name: 'bob' } });
    expect(parseSlashCommand('ic')).toEqual({ kind: 'role', role: 'commander', holder: { kind: 'me' } });
    expect(parseSlashCommand('comms me')).toEqual({ kind: 'role', role: 'communications', holder: { kind: 'me' } });
    expect(parseSlashCommand('role ic none')).toEqual({ kind: 'role', role: 'commander', holder: { kind: 'none' } });
    for (const bad of ['role', 'role boss @x', 'role ic @a @b', 'role ic <@U1|x> y', 'role ic <script>', 'ic $(id) now']) {
      expect(parseSlashCommand(bad).kind, bad).toBe('invalid');
    }
  });
});
