import { SEVERITIES, type Severity } from '../alerts/alert.js';
import { INCIDENT_STATUSES, type IncidentStatus } from '../incidents/incident.js';
import { MAX_FOLLOW_UP_TEXT } from '../incidents/follow-up.js';
import type { IncidentRole } from '../incidents/incident.js';
import { parseRole } from '../incidents/roles.js';
import { MAX_MOMENT_TEXT, type MomentKind } from '../incidents/moment.js';

/** One `/sidekick …` request, understood, or the reason it was not. */
export type SlashCommand =
  | { kind: 'help' }
  | { kind: 'declare'; title: string }
  | { kind: 'status'; status: IncidentStatus }
  | { kind: 'severity'; severity: Severity }
  | { kind: 'update'; text: string }
  | { kind: 'followup'; text: string; owner?: { name: string; userId?: string } }
  | { kind: 'role'; role: IncidentRole; holder: { kind: 'me' } | { kind: 'none' } | { kind: 'person'; name: string; userId?: string } }
  | { kind: 'ack' }
  | { kind: 'moment'; moment: MomentKind; text: string }
  | { kind: 'invalid'; problem: string };

export const MAX_TITLE = 200;
export const MAX_UPDATE = 3000;

export const SLASH_HELP = [
  '*/sidekick* commands:',
  '• `/sidekick declare <title>`: open an incident by hand (its flows run as for an alert)',
  `• \`/sidekick status <${INCIDENT_STATUSES.join('|')}>\`: in an incident channel`,
  `• \`/sidekick severity <${SEVERITIES.join('|')}>\`: in an incident channel`,
  '• `/sidekick update <text>`: a stakeholder update, sent where the first notice went',
  '• `/sidekick followup <text> [@owner]`: an action item for after the incident, filed as its own issue',
  '• `/sidekick ack`: acknowledge the incident (you take command if nobody has it)',
  '• `/sidekick role <ic|comms> [@person|me|none]`: hand the incident commander or communications lead role over',
  '• `/sidekick decision <text>`: record a decision (it goes into the report); `/sidekick moment <text>` records a key moment',
  '• `/sidekick help`: this list',
].join('\n');

/**
 * Slack sends command text with `&`, `<`, `>` as entities; titles and updates are stored as plain
 * data (escaped again wherever they are shown), so they are decoded here once.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Parses the text after `/sidekick`. Never throws. */
export function parseSlashCommand(input: string): SlashCommand {
  const text = decodeSlackEntities(input)
    .replace(/\u0000/g, '')
    .trim();
  const [word = '', ...restWords] = text.split(/\s+/);
  const rest = text.slice(word.length).trim();
  switch (word.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'declare': {
      const title = rest.replace(/\s+/g, ' ');
      if (!title) return { kind: 'invalid', problem: 'Give the incident a title: `/sidekick declare Checkout is failing`' };
      if (title.length > MAX_TITLE) return { kind: 'invalid', problem: `That title is ${title.length} characters; keep it under ${MAX_TITLE}.` };
      return { kind: 'declare', title };
    }
    case 'status': {
      const status = restWords[0]?.toLowerCase();
      if (restWords.length === 1 && (INCIDENT_STATUSES as readonly string[]).includes(status)) return { kind: 'status', status: status as IncidentStatus };
      return { kind: 'invalid', problem: `Status must be one of ${INCIDENT_STATUSES.join(', ')}: \`/sidekick status mitigated\`` };
    }
    case 'severity':
    case 'sev': {
      const severity = restWords[0]?.toLowerCase();
      if (restWords.length === 1 && (SEVERITIES as readonly string[]).includes(severity)) return { kind: 'severity', severity: severity as Severity };
      return { kind: 'invalid', problem: `Severity must be one of ${SEVERITIES.join(', ')}: \`/sidekick severity high\`` };
    }
    case 'update': {
      if (!rest) return { kind: 'invalid', problem: 'Write the update after the word: `/sidekick update Failover done, watching replication`' };
      if (rest.length > MAX_UPDATE) return { kind: 'invalid', problem: `That update is ${rest.length} characters; keep it under ${MAX_UPDATE}.` };
      return { kind: 'update', text: rest };
    }
    case 'followup':
    case 'follow-up':
      return parseFollowUp(rest);
    case 'ack':
    case 'acknowledge':
      return { kind: 'ack' };
    case 'role':
      return parseRoleCommand(restWords);
    case 'ic':
    case 'comms':
      // Shortcuts: `/sidekick ic @alice`, `/sidekick comms me`.
      return parseRoleCommand([word, ...restWords]);
    case 'decision':
    case 'decided':
      return parseMoment('decision', rest, '`/sidekick decision Fail over to db-8 and rebuild db-7`');
    case 'moment':
    case 'key-moment':
      return parseMoment('key-moment', rest, '`/sidekick moment Writes are flowing again`');
    default:
      return { kind: 'invalid', problem: `I don't know "${word.slice(0, 30)}".\n${SLASH_HELP}` };
  }
}

function parseMoment(moment: MomentKind, rest: string, example: string): SlashCommand {
  const text = rest.replace(/\s+/g, ' ').trim();
  if (!text) return { kind: 'invalid', problem: `Write it after the word: ${example}` };
  if (text.length > MAX_MOMENT_TEXT) return { kind: 'invalid', problem: `That is ${text.length} characters; keep it under ${MAX_MOMENT_TEXT}.` };
  return { kind: 'moment', moment, text };
}

/**
 * `<text> [@owner]`: the owner is a trailing mention, as Slack sends it (`<@U123|alice>` or
 * `<@U123>` when the app escapes users) or typed plainly (`@alice`, also in the built-in room).
 */
function parseFollowUp(rest: string): SlashCommand {
  const usage = 'Write the action item after the word, optionally with an owner: `/sidekick followup Alert on tunnel packet loss @alice`';
  const match = /\s*(?:<@([A-Z0-9]+)(?:\|([^>]+))?>|@([^\s@<>]+))$/.exec(rest);
  const text = (match ? rest.slice(0, match.index) : rest).replace(/\s+/g, ' ').trim();
  if (!text) return { kind: 'invalid', problem: usage };
  if (text.length > MAX_FOLLOW_UP_TEXT) return { kind: 'invalid', problem: `That follow-up is ${text.length} characters; keep it under ${MAX_FOLLOW_UP_TEXT}.` };
  if (!match) return { kind: 'followup', text };
  const [, userId, slackName, typedName] = match;
  const owner = userId ? { name: slackName ?? userId, userId } : { name: typedName };
  return { kind: 'followup', text, owner };
}

/** `<ic|comms> [@person|me|none]`: the person as Slack sends a mention or as typed in the room. */
function parseRoleCommand(words: string[]): SlashCommand {
  const usage = 'Name the role and the person: `/sidekick role ic @alice`, `/sidekick role comms me`, `/sidekick role ic none`';
  const [roleWord = '', ...who] = words;
  const role = parseRole(roleWord);
  if (!role || who.length > 1) return { kind: 'invalid', problem: usage };
  const target = who[0] ?? 'me';
  if (target.toLowerCase() === 'me') return { kind: 'role', role, holder: { kind: 'me' } };
  if (['none', 'nobody', '-'].includes(target.toLowerCase())) return { kind: 'role', role, holder: { kind: 'none' } };
  const mention = /^<@([A-Z0-9]+)(?:\|([^>]+))?>$/.exec(target);
  if (mention) return { kind: 'role', role, holder: { kind: 'person', userId: mention[1], name: mention[2] ?? mention[1]! } };
  const typed = /^@?([^\s@<>]{1,80})$/.exec(target);
  if (!typed) return { kind: 'invalid', problem: usage };
  return { kind: 'role', role, holder: { kind: 'person', name: typed[1]! } };
}
