import { BoxError, type RetryHint } from '../boxes/box-error.js';

/**
 * A chat call that failed. It is a `BoxError` so the engine records `code` and the message on the
 * timeline. With a retry hint (pacing, 429, 5xx, network) it is retryable: the engine runs the job
 * again later, durably; without one it fails the box at once. The message says what a person can
 * do about it and never carries a token.
 */
export class ChatError extends BoxError {
  constructor(
    /** Stable: `SLACK_UNAVAILABLE`, `SLACK_RATE_LIMITED`, or `SLACK_<slack error>` such as `SLACK_CHANNEL_NOT_FOUND`. */
    code: string,
    message: string,
    readonly details: { method?: string; slackError?: string; attempts?: number } = {},
    retry?: RetryHint,
  ) {
    super(code, `${code}: ${message}`, retry !== undefined, retry ?? {});
    this.name = 'ChatError';
  }
}

/** How to fix the Slack errors people actually meet; the rest get Slack's own code. */
const HINTS: Record<string, string> = {
  channel_not_found: 'the channel does not exist or Sidekick cannot see it; check the name and invite the app',
  not_in_channel: 'Sidekick is not a member of this channel; invite it with /invite @Sidekick',
  is_archived: 'the channel is archived; unarchive it or point the flow at another channel',
  invalid_auth: 'the bot token is not valid; check SLACK_BOT_TOKEN',
  not_authed: 'no bot token was sent; set SLACK_BOT_TOKEN',
  token_revoked: 'the bot token was revoked; reinstall the Slack app and update SLACK_BOT_TOKEN',
  account_inactive: 'the bot token belongs to a deleted app or user; reinstall the Slack app',
  missing_scope: 'the Slack app lacks a permission; paste the output of `sidekick slack manifest` into the app settings and reinstall',
  invalid_blocks: 'Slack refused the message layout; please report this with the flow that sent it',
  msg_blocks_too_long: 'Slack found the message too long; please report this with the flow that sent it',
  msg_too_long: 'the message is too long for Slack',
  user_not_found: 'that Slack user does not exist',
  users_not_found: 'no Slack user has that email address',
  cant_invite_self: 'Sidekick cannot invite itself',
  restricted_action: 'a workspace setting forbids this; ask a Slack admin to allow apps to post or create channels',
};

/** Builds the `ChatError` for a Slack `ok:false` answer. */
export function chatErrorFromSlack(method: string, slackError: string, attempts = 1): ChatError {
  const safe = slackError.replace(/[^a-z0-9_]/gi, '').slice(0, 64) || 'unknown_error';
  const hint = HINTS[safe] ?? `Slack answered ${safe}`;
  return new ChatError(`SLACK_${safe.toUpperCase()}`, `${method}: ${hint}`, { method, slackError: safe, attempts });
}
