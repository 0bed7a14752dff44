import { useEffect, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { Incident, RoomChannel, RoomMessage } from '../api/types.js';
import { hrefOf } from '../router.js';
import { ErrorNote } from '../ui/error-note.js';
import { MessageView } from './message-view.js';

/**
 * A channel of the built-in room, reached from a link Sidekick posted (`#/channels/<id>`). The
 * channel of an incident opens that incident's room; a team's channel, shared by many incidents,
 * shows its messages with a link to the newest incident that posted there.
 */
export function ChannelPage({ id }: { id: string }) {
  const [owner, setOwner] = useState<Incident>();
  const [channel, setChannel] = useState<RoomChannel>();
  const [messages, setMessages] = useState<RoomMessage[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    Promise.all([
      callApi<{ incidents: Incident[] }>('/api/incidents?limit=500', { signal }),
      callApi<{ channels: RoomChannel[] }>('/api/room/channels', { signal }),
      callApi<{ messages: RoomMessage[] }>(`/api/room/messages?channel=${encodeURIComponent(id)}`, { signal }),
    ])
      .then(([{ incidents }, { channels }, answer]) => {
        const listing = incidents.filter((incident) => incident.channels.some((item) => item.id === id));
        const own = listing.find((incident) => incident.channels.some((item) => item.id === id && item.role === 'incident'));
        // The incident's own channel: its room is the page people want, without a stop here.
        if (own) return window.location.replace(hrefOf({ page: 'incident', id: own.id }));
        setOwner(listing[0]);
        setChannel(channels.find((item) => item.id === id));
        setMessages(answer.messages);
      })
      .catch((caught) => {
        if (!signal.aborted) setError(describeError(caught));
      });
    return () => controller.abort();
  }, [id]);
  return (
    <section>
      <p className="crumbs">
        <a href={hrefOf({ page: 'incidents' })}>← Incidents</a>
      </p>
      <h1>#{channel?.name ?? id}</h1>
      {owner && (
        <p>
          Latest incident here:{' '}
          <a href={hrefOf({ page: 'incident', id: owner.id })}>
            INC-{owner.number} {owner.title}
          </a>
        </p>
      )}
      <ErrorNote message={error} />
      {!messages && !error && <p className="muted">Loading the channel…</p>}
      {messages?.length === 0 && <p className="empty">Nothing said here yet.</p>}
      <div className="messages">
        {messages?.map((message) => (
          <MessageView key={message.id} message={message} />
        ))}
      </div>
    </section>
  );
}
