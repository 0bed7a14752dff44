import type { RoomMessage } from '../api/types.js';
import { ChatBlocks } from '../chat/chat-blocks.js';
import { Mrkdwn } from '../chat/mrkdwn-view.js';
import { formatClock } from './format-time.js';

/** One chat message: author, time, and its blocks (or its text when it has none). */
export function MessageView({ message, onReply }: { message: RoomMessage; onReply?: () => void }) {
  return (
    <article className={message.fromBot ? 'message bot' : 'message'} data-message-id={message.id}>
      <header>
        <span className="author">{message.userName || message.userId}</span>
        {message.fromBot && <span className="badge bot-badge">bot</span>}
        <time dateTime={message.at} title={message.at}>
          {formatClock(message.at)}
        </time>
        {message.editedAt && <span className="muted">(edited)</span>}
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
