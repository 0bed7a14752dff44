import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { callApi, describeError } from '../api/client.js';
import type { RoomMessage } from '../api/types.js';
import { ErrorNote } from '../ui/error-note.js';

/** Where people type in the built-in room. Enter sends; Shift+Enter starts a new line. */
export function Composer({
  channel,
  threadId,
  onSent,
  onCancelThread,
  label,
}: {
  channel: string;
  threadId?: string;
  onSent: (message: RoomMessage) => void;
  onCancelThread?: () => void;
  label: string;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      const { message } = await callApi<{ message: RoomMessage }>('/api/room/messages', {
        method: 'POST',
        body: { channel, text, threadId },
      });
      setText('');
      setError(undefined);
      onSent(message);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
    if (event.key === 'Escape' && onCancelThread) onCancelThread();
  };
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
      <label className="visually-hidden" htmlFor={`composer-${channel}`}>
        {label}
      </label>
      <textarea
        id={`composer-${channel}`}
        rows={2}
        maxLength={40_000}
        placeholder={label}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary" disabled={busy || !text.trim()}>
        Send
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
