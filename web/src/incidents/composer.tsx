import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { callApi } from '../api/client.js';
import type { RoomMessage } from '../api/types.js';
import { ErrorNote } from '../ui/error-note.js';
import { useBusy } from '../ui/use-busy.js';

/** What the words typed in the composer become, besides a chat message. */
type Action = 'update' | 'decision' | 'followup';

const ACTIONS: { action: Action; label: string; hint: string }[] = [
  { action: 'update', label: 'Post update', hint: 'Send it as a stakeholder update to the incident channel and every team that was told' },
  { action: 'decision', label: 'Decision', hint: 'Record it as a decision of the incident (it goes into the report)' },
  { action: 'followup', label: 'Follow-up', hint: 'Add it as an action item for after the incident; end with @name to give it an owner' },
];

/**
 * Where people type in the built-in room. Enter sends; Shift+Enter starts a new line. `/sidekick …`
 * works as in Slack. The buttons beside Send turn the same words into a stakeholder update, a
 * decision or a follow-up. `channel` is undefined while the incident has no channel in the room:
 * the first send opens one.
 */
export function Composer({
  incidentId,
  channel,
  threadId,
  onSent,
  onCancelThread,
  label,
}: {
  incidentId: string;
  channel?: string;
  threadId?: string;
  onSent: (message?: RoomMessage) => void;
  onCancelThread?: () => void;
  label: string;
}) {
  const [text, setText] = useState('');
  const { busy, error, run: runBusy } = useBusy();
  const [note, setNote] = useState<string>();
  const base = `/api/incidents/${encodeURIComponent(incidentId)}`;
  const run = async (work: () => Promise<string | undefined>) => {
    if (!text.trim() || busy) return;
    await runBusy(async () => {
      setNote(await work());
      setText('');
    });
  };
  const send = (event?: FormEvent) => {
    event?.preventDefault();
    return run(async () => {
      const target = channel ?? (await callApi<{ channel: { id: string } }>(`${base}/room-channel`, { method: 'POST' })).channel.id;
      const answer = await callApi<{ message?: RoomMessage; command?: boolean; reply?: string }>('/api/room/messages', {
        method: 'POST',
        body: { channel: target, text, threadId },
      });
      onSent(answer.message);
      return undefined;
    });
  };
  const act = (action: Action) =>
    run(async () => {
      if (action === 'update') {
        await callApi(`${base}/updates`, { method: 'POST', body: { text } });
        return 'Update posted.';
      }
      if (action === 'decision') {
        await callApi(`${base}/moments`, { method: 'POST', body: { kind: 'decision', text } });
        return 'Decision recorded.';
      }
      const owner = /\s@([^\s@<>]+)\s*$/.exec(` ${text}`);
      const body = owner ? { text: ` ${text}`.slice(0, owner.index).trim(), owner: owner[1] } : { text };
      await callApi(`${base}/follow-ups`, { method: 'POST', body });
      return 'Follow-up added.';
    });
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
    if (event.key === 'Escape' && onCancelThread) onCancelThread();
  };
  const id = `composer-${channel ?? incidentId}`;
  return (
    <form className="composer" onSubmit={send}>
      {threadId && (
        <p className="muted thread-note">
          Replying in a thread{' '}
          <button type="button" className="ghost small" onClick={onCancelThread}>
            Cancel
          </button>
        </p>
      )}
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <textarea id={id} rows={2} maxLength={40_000} placeholder={label} value={text} onChange={(event) => setText(event.target.value)} onKeyDown={onKeyDown} />
      <button type="submit" className="primary" disabled={busy || !text.trim()}>
        Send
      </button>
      <div className="composer-actions" role="group" aria-label="Send as">
        {ACTIONS.map(({ action, label: name, hint }) => (
          <button key={action} type="button" className="small" title={hint} disabled={busy || !text.trim()} onClick={() => void act(action)}>
            {name}
          </button>
        ))}
        {note && (
          <span className="muted small-text" role="status">
            {note}
          </span>
        )}
      </div>
      <ErrorNote message={error} />
    </form>
  );
}
