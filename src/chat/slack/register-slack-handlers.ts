import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { ChatInbound } from '../chat.js';
import type { IncidentCommands } from '../incident-commands.js';
import { runSlashCommand } from '../run-slash-command.js';
import type { SlackEventDedup } from './slack-event-dedup.js';
import { toIncomingMessage, type SlackMessageEvent } from './slack-message-event.js';
import type { SlackUserDirectory } from './slack-user-directory.js';
import { KEY_MOMENT_REACTION, SLACK_MESSAGE_SHORTCUTS } from './slack-manifest.js';

/**
 * The Bolt listeners, the same for HTTP and Socket Mode: messages → `ChatInbound.onMessage`,
 * button clicks → `ChatInbound.onClick`, `/sidekick` → `IncidentCommands`. Bolt does the routing,
 * the acks and the `ignoreSelf` filtering; these functions translate.
 */
export interface SlackHandlerDeps {
  /** Late-bound: Slack may deliver before the rest of Sidekick is connected. */
  inbound(): ChatInbound | undefined;
  commands(): IncidentCommands | undefined;
  users: SlackUserDirectory;
  dedup: SlackEventDedup;
  resolveButtonValue(value: string): Promise<string | undefined>;
  log: Logger;
  /** Slack wants a slash command answered within 3 s; past this, the answer follows via response_url. */
  commandBudgetMs?: number;
}

const SLASH_COMMAND = '/sidekick';

export function registerSlackHandlers(app: App, deps: SlackHandlerDeps): void {
  app.event('message', async ({ event, body, context }) => {
    const eventId = (body as { event_id?: string }).event_id;
    const incoming = toIncomingMessage(event as unknown as SlackMessageEvent, { userId: context.botUserId, botId: context.botId });
    if (!incoming) return;
    if (eventId && !(await deps.dedup.firstTime(`event:${eventId}`))) {
      deps.log.debug({ eventId, retry: context.retryNum }, 'slack: redelivered event ignored');
      return;
    }
    const inbound = deps.inbound();
    if (!inbound) return void deps.log.warn('slack: message before Sidekick was connected; dropped');
    const userName = incoming.userId === 'unknown' ? 'unknown' : await deps.users.nameOf(incoming.userId);
    await inbound.onMessage({ ...incoming, userName });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, action }) => {
    await ack();
    const click = body as unknown as BlockActionsBody;
    const value = (action as { value?: string }).value;
    // Link buttons report clicks too; only our buttons carry a value.
    if (typeof value !== 'string' || value === '') return;
    const channel = click.container?.channel_id ?? click.channel?.id;
    const messageId = click.container?.message_ts ?? click.message?.ts;
    if (!channel || !messageId || !click.user?.id) return;
    const actionTs = (action as { action_ts?: string }).action_ts ?? '';
    if (!(await deps.dedup.firstTime(`click:${channel}:${messageId}:${click.user.id}:${actionTs}`))) return;
    const resolved = await deps.resolveButtonValue(value);
    const inbound = deps.inbound();
    if (!resolved || !inbound) return void deps.log.warn({ channel }, 'slack: click could not be delivered');
    const userName = click.user.name ?? click.user.username ?? (await deps.users.nameOf(click.user.id));
    deps.users.remember(click.user.id, userName);
    await inbound.onClick({ value: resolved, userId: click.user.id, userName, channel, messageId });
  });

  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    const commands = deps.commands();
    if (!commands) {
      await ack({ response_type: 'ephemeral', text: 'Sidekick is starting up; try again in a few seconds.' });
      return;
    }
    const run = async () => {
      const actor = await withTimeout(deps.users.nameOf(command.user_id), 1000, command.user_name ?? command.user_id);
      return runSlashCommand(commands, { text: command.text ?? '', channelId: command.channel_id, userId: command.user_id, actor });
    };
    // Slack gives every invocation its own trigger_id and response_url, and both are inside the
    // signed body: the same id again is a retry or a replay, answered the same but acted on once.
    const invocation = command.trigger_id || command.response_url;
    const work = invocation ? deps.dedup.answerOnce(`command:${invocation}`, run) : run();
    const quick = await withTimeout(work, deps.commandBudgetMs ?? 2000, undefined);
    if (quick !== undefined) {
      await ack({ response_type: 'ephemeral', text: quick });
      return;
    }
    await ack({ response_type: 'ephemeral', text: 'Working on it…' });
    const text = await work;
    await respond({ response_type: 'ephemeral', replace_original: true, text }).catch((error: unknown) => deps.log.warn({ err: (error as Error).message }, 'slack: could not send the command result'));
  });

  // A message shortcut ("More actions" → Mark as decision / key moment) sends the message along.
  for (const shortcut of SLACK_MESSAGE_SHORTCUTS) {
    const kind = shortcut.callback_id === 'sidekick_mark_decision' ? 'decision' : 'key-moment';
    app.shortcut({ type: 'message_action', callback_id: shortcut.callback_id }, async ({ ack, shortcut: body, respond }) => {
      await ack();
      const action = body as unknown as MessageActionBody;
      const channel = action.channel?.id;
      const ts = action.message?.ts ?? action.message_ts;
      if (!channel || !ts || !action.user?.id) return;
      if (!(await deps.dedup.firstTime(`shortcut:${action.trigger_id ?? `${channel}:${ts}:${action.user.id}:${kind}`}`))) return;
      const inbound = deps.inbound();
      if (!inbound?.onMark) return void deps.log.warn({ channel }, 'slack: mark could not be delivered');
      const userName = action.user.name ?? action.user.username ?? (await deps.users.nameOf(action.user.id));
      const authorId = action.message?.user;
      const authorName = authorId ? await deps.users.nameOf(authorId) : undefined;
      await inbound.onMark({ adapter: 'slack', channel, messageId: ts, kind, userId: action.user.id, userName, text: action.message?.text, authorId, authorName });
      await respond({ response_type: 'ephemeral', text: `Marked as a ${kind === 'decision' ? 'decision' : 'key moment'}: it will be in the report.` }).catch(() => undefined);
    });
  }

  // 📌 on a message marks it as a key moment; taking the reaction away unmarks it.
  const onReaction =
    (removed: boolean) =>
    async ({ event, body }: { event: unknown; body: unknown }) => {
      const reaction = event as ReactionEvent;
      if (reaction.reaction !== KEY_MOMENT_REACTION || reaction.item?.type !== 'message' || !reaction.item.channel || !reaction.item.ts) return;
      const eventId = (body as { event_id?: string }).event_id;
      if (eventId && !(await deps.dedup.firstTime(`event:${eventId}`))) return;
      const inbound = deps.inbound();
      if (!inbound?.onMark) return;
      const userName = await deps.users.nameOf(reaction.user);
      const authorName = reaction.item_user ? await deps.users.nameOf(reaction.item_user) : undefined;
      await inbound.onMark({
        adapter: 'slack',
        channel: reaction.item.channel,
        messageId: reaction.item.ts,
        kind: 'key-moment',
        userId: reaction.user,
        userName,
        authorId: reaction.item_user,
        authorName,
        removed,
      });
    };
  app.event('reaction_added', onReaction(false));
  app.event('reaction_removed', onReaction(true));

  app.error(async (error) => {
    deps.log.error({ code: (error as { code?: string }).code, err: error.message }, 'slack: listener failed');
  });
}

interface MessageActionBody {
  trigger_id?: string;
  user?: { id: string; name?: string; username?: string };
  channel?: { id?: string };
  message_ts?: string;
  message?: { ts?: string; text?: string; user?: string };
}

interface ReactionEvent {
  user: string;
  reaction: string;
  item_user?: string;
  item?: { type?: string; channel?: string; ts?: string };
}

interface BlockActionsBody {
  user?: { id: string; name?: string; username?: string };
  container?: { channel_id?: string; message_ts?: string };
  channel?: { id?: string };
  message?: { ts?: string };
}

/** The promise's value, or `fallback` if it takes longer than `ms` (the promise keeps running). */
async function withTimeout<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
