import { stringify } from 'yaml';

/**
 * The Slack app manifest for `sidekick slack manifest`: paste it at api.slack.com/apps → "Create
 * New App" → "From a manifest". Every scope is here because a feature needs it, and only then.
 */

/** Each bot scope and the feature that needs it (kept beside the list so removals are deliberate). */
export const SLACK_BOT_SCOPES: Record<string, string> = {
  'chat:write': 'post and update messages (chat.postMessage, chat.update, chat.delete)',
  'chat:write.public': 'post notices to other teams’ public channels without being invited first',
  commands: 'the /sidekick slash command',
  'channels:manage': 'create incident channels, set their topic, invite responders (public channels)',
  'channels:read': 'find a #channel by name (conversations.list) and read channel info',
  'channels:history': 'capture the incident conversation for the report, and find a post again after a crash',
  'groups:read': 'find private team channels by name',
  'groups:history': 'capture conversations in private incident channels',
  'im:write': 'open direct messages for reminders (conversations.open)',
  'im:history': 'find a reminder again after a crash before sending it twice',
  'users:read': 'show people by name (users.info, and @handles in flows via users.list)',
  'users:read.email': 'invite responders named by email address in flows (users.lookupByEmail)',
  'usergroups:read': 'invite an on-call user group (usergroups.users.list)',
  'bookmarks:write': 'bookmark the meeting link in the incident channel',
  'pins:write': 'pin the playbook in the incident channel',
  'reactions:read': 'hear the 📌 reaction that marks a message as a key moment',
};

/** Message events from the channels Sidekick is in, for the incident timeline. */
export const SLACK_BOT_EVENTS = ['message.channels', 'message.groups', 'message.im', 'reaction_added', 'reaction_removed'];

/** The message shortcuts ("More actions" on any message) and the `callback_id` each sends. */
export const SLACK_MESSAGE_SHORTCUTS = [
  { name: 'Mark as decision', callback_id: 'sidekick_mark_decision', description: 'Record this message as a decision of the incident (it goes into the report)' },
  { name: 'Mark as key moment', callback_id: 'sidekick_mark_key_moment', description: 'Record this message as a key moment of the incident' },
];

/** The reaction that marks a message as a key moment (and unmarks it when removed). */
export const KEY_MOMENT_REACTION = 'pushpin';

/** Renders the manifest YAML; in Socket Mode no request URLs are needed (or allowed). */
export function renderSlackManifest(publicUrl: string, options: { socketMode?: boolean; name?: string } = {}): string {
  const base = publicUrl.replace(/\/+$/, '');
  const eventsUrl = `${base}/slack/events`;
  const socketMode = options.socketMode ?? false;
  const withUrl = <T extends object>(value: T): T & { url?: string } => (socketMode ? value : { ...value, url: eventsUrl });
  const manifest = {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: (options.name ?? 'Sidekick').slice(0, 35),
      description: 'Incident assistant: opens channels and meetings, brings playbooks, reminds responders, writes the report.',
      background_color: '#2c2d30',
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: 'sidekick', always_online: true },
      shortcuts: SLACK_MESSAGE_SHORTCUTS.map((shortcut) => ({ ...shortcut, type: 'message' })),
      slash_commands: [
        withUrl({
          command: '/sidekick',
          description: 'Declare an incident, set its status or severity, post an update',
          usage_hint: 'declare <title> | status <investigating|mitigated|resolved> | severity <level> | update <text> | decision <text> | followup <text> | help',
          should_escape: false,
        }),
      ],
    },
    oauth_config: { scopes: { bot: Object.keys(SLACK_BOT_SCOPES) } },
    settings: {
      event_subscriptions: socketMode ? { bot_events: SLACK_BOT_EVENTS } : { request_url: eventsUrl, bot_events: SLACK_BOT_EVENTS },
      interactivity: socketMode ? { is_enabled: true } : { is_enabled: true, request_url: eventsUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
  const header = [
    '# Sidekick Slack app manifest. Create the app from it, install it to the workspace, then set',
    '# SLACK_BOT_TOKEN (Bot User OAuth Token) and SLACK_SIGNING_SECRET (Basic Information).',
    ...(socketMode ? ['# Socket Mode: also create an app-level token with connections:write and set SLACK_APP_TOKEN.'] : []),
    '',
  ].join('\n');
  return header + stringify(manifest, { lineWidth: 0 });
}
