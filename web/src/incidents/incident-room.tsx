import { useCallback, useEffect, useMemo, useState } from 'react';
import { callApi, describeError } from '../api/client.js';
import { useServerEvents } from '../api/events.js';
import type { FollowUp, IncidentDetail, Moment, MomentKind, RoomChannel, RoomMessage } from '../api/types.js';
import { MomentsPanel } from './moments-panel.js';
import { safeUrl } from '../chat/mrkdwn.js';
import { hrefOf } from '../router.js';
import { SeverityBadge, StatusBadge } from '../ui/badges.js';
import { ErrorNote } from '../ui/error-note.js';
import { LoadFailed } from '../ui/load-failed.js';
import { useNow } from '../ui/use-now.js';
import { Conversation } from './conversation.js';
import { formatAge, formatDateTime } from './format-time.js';
import { IncidentControls } from './incident-controls.js';
import { RolesPanel } from './roles-panel.js';
import { NameBanner } from '../session/name-banner.js';
import { responderNames } from './responder-names.js';
import { ReportPanel } from './report-panel.js';
import { TimelineView } from './timeline-view.js';
import { upsertMessage, upsertTimeline } from './room-state.js';
import { graphImagesOf } from './graph-links.js';
import { postedChannelsOf } from './posted-channels.js';

/** The incident room: conversation, meeting, controls, timeline and report, kept live. */
export function IncidentRoom({ id }: { id: string }) {
  const [detail, setDetail] = useState<IncidentDetail>();
  const [roomChannels, setRoomChannels] = useState<Map<string, RoomChannel>>(new Map());
  const [error, setError] = useState<string>();
  const now = useNow();
  const load = useCallback(() => {
    callApi<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`)
      .then((answer) => {
        setDetail(answer);
        setError(undefined);
      })
      .catch((caught) => setError(describeError(caught)));
    callApi<{ channels: RoomChannel[] }>('/api/room/channels')
      .then((answer) => setRoomChannels(new Map(answer.channels.map((channel) => [channel.id, channel]))))
      .catch(() => setRoomChannels(new Map()));
  }, [id]);
  useEffect(load, [load]);
  // Marks and follow-ups come back with the incident; a timeline line about one reloads them.
  const reloadMarks = useCallback(() => {
    const base = `/api/incidents/${encodeURIComponent(id)}`;
    Promise.all([callApi<{ moments: Moment[] }>(`${base}/moments`), callApi<{ followUps: FollowUp[] }>(`${base}/follow-ups`)])
      .then(([{ moments }, { followUps }]) => setDetail((current) => (current ? { ...current, moments, followUps } : current)))
      .catch(() => undefined);
  }, [id]);
  const mark = (message: RoomMessage, kind: MomentKind, marked: boolean) => {
    callApi(`/api/incidents/${encodeURIComponent(id)}/moments`, { method: marked ? 'POST' : 'DELETE', body: { kind, messageId: message.id } })
      .then(reloadMarks)
      .catch((caught) => setError(describeError(caught)));
  };
  // Posts to other channels (a team's, other teams') belong to the story too: read those channels.
  const posted = useMemo(() => (detail ? postedChannelsOf(detail.incident, detail.timeline) : []), [detail]);
  const postedKey = posted.join();
  useEffect(() => {
    if (!postedKey) return;
    // A channel created after the page loaded needs its name.
    callApi<{ channels: RoomChannel[] }>('/api/room/channels')
      .then((answer) => setRoomChannels(new Map(answer.channels.map((channel) => [channel.id, channel]))))
      .catch(() => undefined);
    for (const channel of postedKey.split(',')) {
      callApi<{ messages: RoomMessage[] }>(`/api/room/messages?channel=${encodeURIComponent(channel)}`)
        .then((answer) => setDetail((current) => (current ? { ...current, messages: answer.messages.reduce(upsertMessage, current.messages) } : current)))
        .catch(() => undefined); // not a channel of the built-in room (Slack): the timeline tells the story
    }
  }, [postedKey]);
  useServerEvents((event) => {
    if (event.type === 'reconnected') return load();
    setDetail((current) => {
      if (!current) return current;
      const incident = current.incident;
      switch (event.type) {
        case 'incident':
          if (event.data.id !== incident.id) return current;
          return { ...current, incident: event.data };
        case 'timeline':
          if (event.data.incidentId !== incident.id) return current;
          if (event.data.data?.momentId || event.data.data?.followUpId) queueMicrotask(reloadMarks);
          return { ...current, timeline: upsertTimeline(current.timeline, event.data) };
        case 'message':
        case 'message-updated': {
          const ours = incident.channels.some((channel) => channel.id === event.data.channel) || current.messages.some((message) => message.channel === event.data.channel);
          if (!ours) return current;
          return { ...current, messages: upsertMessage(current.messages, event.data) };
        }
      }
    });
    // A new channel (opened after we loaded) may already hold messages we were not told about.
    if (event.type === 'incident' && detail && event.data.id === detail.incident.id) {
      const before = detail.incident.channels.map((channel) => channel.id).join();
      if (event.data.channels.map((channel) => channel.id).join() !== before) load();
    }
  });
  if (error && !detail) return <LoadFailed back="incidents" message={error} />;
  if (!detail) return <p className="muted">Loading the incident…</p>;
  const { incident, timeline, messages, alerts } = detail;
  const meetingUrl = incident.meeting ? safeUrl(incident.meeting.joinUrl) : undefined;
  const graphs = graphImagesOf(alerts);
  return (
    <div className="room">
      <div className="room-head">
        <p className="crumbs">
          <a href={hrefOf({ page: 'incidents' })}>← Incidents</a>
        </p>
        <h1>
          <span className="num">INC-{incident.number}</span> {incident.title}
        </h1>
        <div className="facts">
          <SeverityBadge severity={incident.severity} />
          <StatusBadge status={incident.status} />
          <span title={formatDateTime(incident.createdAt)}>opened {formatAge(incident.createdAt, now)} ago</span>
          {incident.responders.length > 0 && <span>responders: {responderNames(incident, messages, timeline).join(', ')}</span>}
          {meetingUrl && (
            <a className="button primary meeting" href={meetingUrl} target="_blank" rel="noopener noreferrer">
              Join the meeting
            </a>
          )}
        </div>
        <IncidentControls incident={incident} onChange={(changed) => setDetail((current) => (current ? { ...current, incident: changed } : current))} />
        <RolesPanel incident={incident} onChange={(changed) => setDetail((current) => (current ? { ...current, incident: changed } : current))} />
        <ErrorNote message={error} />
        <NameBanner />
      </div>
      <div className="room-body">
        <Conversation
          incident={incident}
          messages={messages}
          roomChannels={roomChannels}
          moments={detail.moments ?? []}
          onMark={mark}
          onSent={(message) => {
            if (!message) return;
            setDetail((current) => (current ? { ...current, messages: upsertMessage(current.messages, message) } : current));
          }}
        />
        <aside className="room-side">
          <MomentsPanel moments={detail.moments ?? []} followUps={detail.followUps ?? []} />
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            <TimelineView entries={timeline} />
          </section>
          {graphs.length > 0 && (
            <section aria-labelledby="graphs-title">
              <h2 id="graphs-title">Graphs</h2>
              {graphs.map((graph) => (
                <figure key={graph.url} className="graph">
                  <a href={graph.url} target="_blank" rel="noopener noreferrer">
                    <img src={graph.url} alt={graph.title} loading="lazy" referrerPolicy="no-referrer" />
                  </a>
                  <figcaption>{graph.title}</figcaption>
                </figure>
              ))}
            </section>
          )}
          {alerts.length > 0 && (
            <section aria-labelledby="alerts-title">
              <h2 id="alerts-title">Alerts ({alerts.length})</h2>
              <ul className="alerts">
                {alerts.slice(0, 50).map((alert) => (
                  <li key={alert.id}>
                    <SeverityBadge severity={alert.severity} /> <span className="muted">{alert.source}</span> {alert.title} <span className="muted">({alert.status})</span>
                    {alert.links
                      .map((link) => ({ ...link, url: safeUrl(link.url) }))
                      .filter((link) => link.url)
                      .map((link) => (
                        <a key={link.url} href={link.url} target="_blank" rel="noopener noreferrer" className="alert-link">
                          {link.title || 'link'}
                        </a>
                      ))}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
      <ReportPanel key={incident.id} incident={incident} timeline={timeline} summary={latestSummary(timeline)} />
    </div>
  );
}

/** The summary people last wrote for the report (a `summary` line on the timeline). */
function latestSummary(timeline: IncidentDetail['timeline']): string {
  const entry = timeline.filter((item) => item.kind === 'summary').at(-1);
  return typeof entry?.data?.summary === 'string' ? entry.data.summary : '';
}
