import type { ChatInbound } from '../chat/chat.js';
import { plainTextOfChat } from '../report/chat-text.js';
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
export function createChatInbound(deps: { engine: Engine; incidents: IncidentService; services: Services; live: LiveEvents }): Required<ChatInbound> & {
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
    async onMark(mark) {
      const incident = await incidents.findByChannel(mark.channel);
      if (!incident) return void services.log.info({ channel: mark.channel }, 'mark outside an incident channel ignored');
      const said = await saidOnTimeline(services, incident.id, mark.channel, mark.messageId);
      const message = {
        adapter: mark.adapter,
        channel: mark.channel,
        id: mark.messageId,
        author: mark.authorName ?? said?.actor ?? mark.authorId ?? '',
        at: said?.at ?? services.clock.now().toISOString(),
      };
      if (mark.removed) {
        await incidents.unmarkMoment(incident.id, { kind: mark.kind, message, by: mark.userName });
        return;
      }
      // The words as people saw them: what the platform sent, else what the timeline heard.
      const text = plainTextOfChat(mark.text ?? said?.text ?? '');
      await incidents.markMoment(incident.id, { kind: mark.kind, text, message, markedBy: mark.userName });
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

/** The latest words of a message the timeline heard (edits replace the text), if it heard it. */
async function saidOnTimeline(services: Services, incidentId: string, channel: string, messageId: string) {
  const prefix = `msg:${channel}:${messageId}:`;
  const heard = (await services.store.listTimeline(incidentId)).filter((entry) => entry.id.startsWith(prefix) && !entry.id.endsWith(':deleted'));
  const first = heard[0];
  const last = heard[heard.length - 1];
  if (!first || !last) return undefined;
  return { actor: first.actor, at: first.at, text: last.id.endsWith(':edited') ? last.text.replace(/^\(edited\) /, '') : last.text };
}
