import type { ChatInbound } from '../chat/chat.js';
import type { Engine } from '../engine/engine.js';
import type { IncidentService } from '../incidents/incident-service.js';
import type { Services } from '../boxes/services.js';
import type { LiveEvents } from '../util/live-events.js';
import { ACK_BUTTON_PREFIX } from '../incidents/ack-button.js';

type ClickOutcome = 'ok' | 'invalid' | 'stale';

/**
 * What happens when people act in chat, whichever adapter they use: a click resumes the box that
 * posted the button (or acknowledges the incident, for an *Acknowledge* button); words said in an
 * incident's channel land on its timeline and make the speaker a responder.
 */
export function createChatInbound(deps: { engine: Engine; incidents: IncidentService; services: Services; live: LiveEvents }): ChatInbound & {
  click(value: string, user: { userId: string; userName: string; messageId: string }): Promise<ClickOutcome>;
} {
  const { engine, incidents, services, live } = deps;
  const click = async (value: string, user: { userId: string; userName: string; messageId: string }, via: string): Promise<ClickOutcome> => {
    const payload = services.signer.verify(value);
    if (payload?.startsWith(ACK_BUTTON_PREFIX)) {
      const incident = await services.store.getIncident(payload.slice(ACK_BUTTON_PREFIX.length));
      if (!incident) return 'invalid';
      const { already } = await incidents.acknowledge(incident.id, { userId: user.userId, name: user.userName }, via);
      return already ? 'stale' : 'ok';
    }
    return engine.handleClick(value, user);
  };
  return {
    click: (value, user) => click(value, user, 'the room'),
    async onClick(event) {
      const outcome = await click(event.value, event, `${services.chat.name} button`);
      if (outcome !== 'ok') services.log.info({ outcome, channel: event.channel }, 'click ignored');
    },
    async onMessage(message) {
      const incident = await incidents.findByChannel(message.channel);
      if (!incident) return;
      const verb = message.kind === 'edited' ? 'edited' : message.kind === 'deleted' ? 'deleted' : undefined;
      const entry = await services.store.addTimeline({
        id: `msg:${message.channel}:${message.id}:${message.kind ?? 'new'}`,
        incidentId: incident.id,
        at: message.at,
        kind: 'message',
        actor: message.userName,
        text: verb ? `(${verb}) ${message.text}` : message.text,
        data: { channel: message.channel, messageId: message.id, threadId: message.threadId, userId: message.userId },
      });
      live.emit('timeline', entry);
      if (!verb) await engine.addResponder(incident.id, message.userId, message.userName);
    },
  };
}
