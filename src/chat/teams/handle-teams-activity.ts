import type { Logger } from 'pino';
import type { ChatInbound } from '../chat.js';
import type { Store } from '../../store/store.js';
import type { IncidentCommands } from '../incident-commands.js';
import { runSlashCommand } from '../run-slash-command.js';
import { ACTION_VERB, toTeamsMarkdown } from './adaptive-card.js';
import { htmlToText } from './teams-graph.js';
import type { TeamsChat } from './teams-chat.js';

/** The fields of a Bot Framework activity Sidekick reads. */
export interface TeamsActivity {
  type: string;
  id?: string;
  name?: string;
  timestamp?: string;
  serviceUrl: string;
  channelId?: string;
  from?: { id?: string; name?: string; aadObjectId?: string };
  recipient?: { id?: string; name?: string };
  conversation?: { id?: string; conversationType?: string };
  replyToId?: string;
  text?: string;
  value?: unknown;
  entities?: { type?: string; mentioned?: { id?: string }; text?: string }[];
  channelData?: { channel?: { id?: string }; teamsChannelId?: string };
}

/** What the HTTP route answers: invokes carry their answer in the body. */
export type ActivityAnswer = { status: 200; body?: unknown };

export interface ActivityDeps {
  chat: TeamsChat;
  inbound: () => ChatInbound | undefined;
  commands: () => IncidentCommands | undefined;
  store: Store;
  log: Logger;
  now: () => Date;
}

/**
 * Routes one verified activity: a card button (an `adaptiveCard/action` invoke, or an
 * `Action.Submit` message from older clients) resumes the box that posted it, like a Slack click;
 * `@Sidekick <command>` runs the same commands as Slack's `/sidekick`; anything else said in a
 * channel goes to the incident's timeline. Teams redelivers on timeouts, so each activity id is
 * handled once.
 */
export async function handleTeamsActivity(activity: TeamsActivity, deps: ActivityDeps): Promise<ActivityAnswer> {
  const channel = channelOf(activity);
  const userId = activity.from?.id ?? 'unknown';
  const userName = activity.from?.name ?? 'someone';
  deps.chat.noteActivity({ serviceUrl: activity.serviceUrl, userId, userName, channel });

  const click = clickValue(activity);
  if (click !== undefined) {
    const inbound = deps.inbound();
    if (!click || !inbound) return { status: 200, body: invokeError(400, 'BadRequest', 'this button carries no Sidekick action') };
    const messageId = threadRootOf(activity) && activity.replyToId && threadRootOf(activity) !== activity.replyToId ? `${threadRootOf(activity)}/${activity.replyToId}` : (activity.replyToId ?? '');
    await inbound.onClick({ value: click, userId, userName, channel, messageId });
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Got it.' } };
  }
  if (activity.type === 'invoke') return { status: 200, body: invokeError(400, 'NotSupported', `invoke ${String(activity.name).slice(0, 40)} is not handled`) };
  if (activity.type !== 'message' || typeof activity.text !== 'string') return { status: 200 };

  if (activity.id && !(await firstDelivery(deps.store, activity, deps.now))) return { status: 200 };
  const { text, mentionsBot } = readText(activity);
  if (mentionsBot || activity.conversation?.conversationType === 'personal') {
    const commands = deps.commands();
    if (commands) {
      const reply = await runSlashCommand(commands, { text, channelId: channel, userId, actor: userName, via: 'Teams' });
      const root = threadRootOf(activity) ?? activity.id;
      await deps.chat.post(channel, { text: toTeamsMarkdown(reply), ...(root && channel.startsWith('19:') ? { threadId: root } : {}) }, `command:${activity.id}`);
    }
    return { status: 200 };
  }
  const inbound = deps.inbound();
  const root = threadRootOf(activity);
  await inbound?.onMessage({
    channel,
    userId,
    userName,
    text,
    id: activity.id ?? `${Date.now()}`,
    ...(root && root !== activity.id ? { threadId: root } : {}),
    at: activity.timestamp ?? deps.now().toISOString(),
  });
  return { status: 200 };
}

/** The button value of a click, '' for a click without one, undefined when this is no click. */
function clickValue(activity: TeamsActivity): string | undefined {
  const value = activity.value as { action?: { verb?: unknown; data?: { sidekick?: unknown } }; sidekick?: unknown } | undefined;
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const data = value?.action?.data;
    return value?.action?.verb === ACTION_VERB && typeof data?.sidekick === 'string' ? data.sidekick : '';
  }
  if (activity.type === 'message' && value && typeof value === 'object' && 'sidekick' in value) return typeof value.sidekick === 'string' ? value.sidekick : '';
  return undefined;
}

/** The channel id (`19:…`) without `;messageid=`, or the conversation id of a chat. */
function channelOf(activity: TeamsActivity): string {
  return activity.channelData?.channel?.id ?? activity.channelData?.teamsChannelId ?? (activity.conversation?.id ?? '').split(';')[0];
}

function threadRootOf(activity: TeamsActivity): string | undefined {
  return /;messageid=(\d+)/.exec(activity.conversation?.id ?? '')?.[1];
}

/** The text without the bot's @mention, and whether the bot was mentioned. */
function readText(activity: TeamsActivity): { text: string; mentionsBot: boolean } {
  let text = activity.text ?? '';
  let mentionsBot = false;
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention' || !entity.mentioned?.id || entity.mentioned.id !== activity.recipient?.id) continue;
    mentionsBot = true;
    if (entity.text) text = text.split(entity.text).join(' ');
  }
  return { text: htmlToText(text).replace(/\s+/g, ' ').trim(), mentionsBot };
}

async function firstDelivery(store: Store, activity: TeamsActivity, now: () => Date): Promise<boolean> {
  const key = `teams:activity:${activity.conversation?.id ?? ''}:${activity.id}`;
  if (await store.getEffect(key)) return false;
  await store.putEffect(key, true, now().toISOString());
  return true;
}

function invokeError(statusCode: number, code: string, message: string) {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}
