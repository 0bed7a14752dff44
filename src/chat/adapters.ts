import { slackAdapter } from './slack/index.js';
import { teamsAdapter } from './teams/index.js';

/**
 * Every chat adapter besides the built-in room, which is always there. A new adapter is one folder
 * exporting its entry (`defineChatAdapter`) plus one line here: its config section, its creation
 * and its name in `chat.adapter` and `chat:` all come from this list.
 */
export const CHAT_ADAPTERS = [slackAdapter, teamsAdapter] as const;

export type ChatAdapterName = (typeof CHAT_ADAPTERS)[number]['name'];

/** The chats there are: `chat.adapter` in sidekick.yaml and `chat:` on a flow or box name one. */
export const CHAT_NAMES: readonly ('room' | ChatAdapterName)[] = ['room', ...CHAT_ADAPTERS.map((adapter) => adapter.name)];
