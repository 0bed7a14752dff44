import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Incident, Moment, MomentKind, RoomChannel, RoomMessage } from '../api/types.js';
import { MessageView, type MessageMarks } from './message-view.js';
import { Composer } from './composer.js';
import { threadMessages } from './room-state.js';
import { Tabs } from '../ui/tabs.js';

/** The incident's channels as tabs, their messages with threads, and (in the built-in room) a composer. */
export function Conversation({
  incident,
  messages,
  roomChannels,
  moments,
  onSent,
  onMark,
}: {
  incident: Incident;
  messages: RoomMessage[];
  /** Channel ids the built-in room hosts: people can type only there. */
  roomChannels: Map<string, RoomChannel>;
  moments: Moment[];
  onSent: (message?: RoomMessage) => void;
  onMark: (message: RoomMessage, kind: MomentKind, marked: boolean) => void;
}) {
  const channels = useMemo(() => {
    const known = incident.channels.map((channel) => ({ id: channel.id, name: channel.name, url: channel.url, role: channel.role }));
    // Messages may arrive from a channel the incident does not list yet (a race with the incident update).
    for (const message of messages) {
      if (!known.some((channel) => channel.id === message.channel)) {
        known.push({ id: message.channel, name: roomChannels.get(message.channel)?.name ?? message.channel, url: undefined, role: 'team' as const });
      }
    }
    return known.sort((a, b) => (a.role === 'incident' ? -1 : b.role === 'incident' ? 1 : 0));
  }, [incident.channels, messages, roomChannels]);
  const [selected, setSelected] = useState<string>();
  const [threadId, setThreadId] = useState<string>();
  const channel = channels.find((item) => item.id === selected) ?? channels[0];
  const threads = useMemo(() => (channel ? threadMessages(messages, channel.id) : []), [messages, channel]);
  const list = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useLayoutEffect(() => {
    const element = list.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [threads]);
  useEffect(() => setThreadId(undefined), [channel?.id]);
  const markedByMessage = useMemo(() => {
    const map = new Map<string, Set<MomentKind>>();
    for (const moment of moments) {
      if (moment.message?.adapter !== 'room') continue;
      const set = map.get(moment.message.id) ?? new Set<MomentKind>();
      set.add(moment.kind);
      map.set(moment.message.id, set);
    }
    return map;
  }, [moments]);
  if (!channel)
    return (
      <section className="conversation" aria-label="Conversation">
        <p className="empty messages">Nothing posted yet; the timeline shows what the flows are doing. Say something and the incident gets its channel here.</p>
        <Composer incidentId={incident.id} onSent={onSent} label="Message the incident" />
      </section>
    );
  const canType = roomChannels.has(channel.id);
  const marksOf = (message: RoomMessage): MessageMarks | undefined =>
    canType
      ? {
          marked: markedByMessage.get(message.id) ?? new Set(),
          toggle: (kind) => onMark(message, kind, !(markedByMessage.get(message.id)?.has(kind) ?? false)),
        }
      : undefined;
  return (
    <section className="conversation" aria-label="Conversation">
      <Tabs
        label="Channels"
        items={channels.map((item) => ({ id: item.id, label: `#${item.name}` }))}
        selected={channel.id}
        onSelect={setSelected}
        after={
          channel.url && !canType ? (
            <a className="open-chat" href={channel.url} target="_blank" rel="noopener noreferrer">
              Open in chat
            </a>
          ) : undefined
        }
      />
      <div
        className="messages"
        ref={list}
        role="log"
        aria-live="polite"
        tabIndex={0}
        aria-label={`Messages in #${channel.name}`}
        onScroll={(event) => {
          const element = event.currentTarget;
          stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        }}
      >
        {threads.length === 0 && <p className="empty">Nothing said here yet.</p>}
        {threads.map(({ message, replies }) => (
          <div key={message.id} className="thread">
            <MessageView message={message} onReply={canType ? () => setThreadId(message.id) : undefined} marks={marksOf(message)} />
            {replies.length > 0 && (
              <div className="replies" aria-label={`${replies.length} replies`}>
                {replies.map((reply) => (
                  <MessageView key={reply.id} message={reply} marks={marksOf(reply)} />
                ))}
              </div>
            )}
          </div>
        ))}
      </div>
      {canType && (
        <Composer
          incidentId={incident.id}
          channel={channel.id}
          threadId={threadId}
          onCancelThread={() => setThreadId(undefined)}
          onSent={(message) => {
            stick.current = true;
            setThreadId(undefined);
            onSent(message);
          }}
          label={`Message #${channel.name}`}
        />
      )}
    </section>
  );
}
