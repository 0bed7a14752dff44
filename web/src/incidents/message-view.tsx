import type { MomentKind, RoomMessage } from '../api/types.js';
import { ChatBlocks } from '../chat/chat-blocks.js';
import { Mrkdwn } from '../chat/mrkdwn-view.js';
import { formatClock } from './format-time.js';

/** Marking a message as a decision or key moment: which marks it has, and how to toggle one. */
export interface MessageMarks {
  marked: ReadonlySet<MomentKind>;
  toggle: (kind: MomentKind) => void;
}

const MARKS: { kind: MomentKind; label: string }[] = [
  { kind: 'decision', label: 'Decision' },
  { kind: 'key-moment', label: 'Key moment' },
];

/** One chat message: author, time, and its blocks (or its text when it has none). */
export function MessageView({ message, onReply, marks }: { message: RoomMessage; onReply?: () => void; marks?: MessageMarks }) {
  const marked = marks && marks.marked.size > 0;
  return (
    <article className={`message${message.fromBot ? ' bot' : ''}${marked ? ' marked' : ''}`} data-message-id={message.id}>
      <header>
        <span className="author">{message.userName || message.userId}</span>
        {message.fromBot && <span className="badge bot-badge">bot</span>}
        <time dateTime={message.at} title={message.at}>
          {formatClock(message.at)}
        </time>
        {message.editedAt && <span className="muted">(edited)</span>}
        {marks && (
          <span className="message-marks" role="group" aria-label="Mark this message">
            {MARKS.map(({ kind, label }) => (
              <button
                key={kind}
                type="button"
                className="ghost small"
                aria-pressed={marks.marked.has(kind)}
                title={marks.marked.has(kind) ? `Marked as a ${label.toLowerCase()}; press to take the mark back` : `Mark as a ${label.toLowerCase()} (it goes into the report)`}
                onClick={() => marks.toggle(kind)}
              >
                {marks.marked.has(kind) ? `★ ${label}` : label}
              </button>
            ))}
          </span>
        )}
        {onReply && (
          <button type="button" className="ghost small reply" onClick={onReply} aria-label={`Reply in thread to ${message.userName}`}>
            Reply
          </button>
        )}
      </header>
      {message.blocks && message.blocks.length > 0 ? (
        <ChatBlocks blocks={message.blocks} />
      ) : (
        <div className="block-text">
          <Mrkdwn text={message.text} />
        </div>
      )}
    </article>
  );
}
