import type { ChatAdapter } from '../chat/chat.js';
import type { Services } from './services.js';
import { BoxError } from './box-error.js';

/**
 * The services a box sees, with `chat` being the one its flow or box picked (`chat: teams`).
 * A prototype overlay, not a copy, so live getters such as `playbooks` stay live.
 */
export function servicesForChat(services: Services, name: string | undefined): Services {
  if (!name || name === services.chat.name) return services;
  const chat = services.chats?.[name] ?? unconfiguredChat(name);
  return Object.create(services, { chat: { value: chat, enumerable: true } }) as Services;
}

/** A chat the flow names but nobody configured: every call fails the box with a fix-it message. */
function unconfiguredChat(name: string): ChatAdapter {
  const fail = async (): Promise<never> => {
    throw new BoxError('CHAT_NOT_CONFIGURED', `the flow asks for chat "${name}", which is not configured; configure it (see docs/${name}.md) or remove \`chat: ${name}\``, false);
  };
  return { name, resolveChannel: fail, post: fail, update: fail, directMessage: fail, openChannel: fail, history: fail };
}
