import { useState } from 'react';
import { callApi, describeError, ApiError } from '../api/client.js';
import type { ChatBlock, ChatButton } from '../api/types.js';
import { Mrkdwn } from './mrkdwn-view.js';
import { CodeBlock } from './code-block.js';
import { safeUrl } from './mrkdwn.js';

/** How a button click is handled: the room posts it to Sidekick; previews handle it locally. */
export type ButtonHandler = (button: ChatButton) => Promise<void> | void;

/** Posts a click to the built-in room. */
export async function clickRoomButton(button: ChatButton): Promise<void> {
  await callApi('/api/room/click', { method: 'POST', body: { value: button.value } });
}

/** Renders the neutral chat blocks of one message. */
export function ChatBlocks({ blocks, onButton = clickRoomButton }: { blocks: ChatBlock[]; onButton?: ButtonHandler }) {
  return (
    <div className="blocks">
      {blocks.map((block, index) => (
        <Block key={index} block={block} onButton={onButton} />
      ))}
    </div>
  );
}

function Block({ block, onButton }: { block: ChatBlock; onButton: ButtonHandler }) {
  switch (block.type) {
    case 'header':
      return <h4 className="block-header">{block.text}</h4>;
    case 'text':
      return (
        <div className="block-text">
          <Mrkdwn text={block.text} />
        </div>
      );
    case 'code':
      return <CodeBlock text={block.text} sources={block.sources} />;
    case 'buttons':
      return <ButtonRow buttons={block.buttons} onButton={onButton} />;
    case 'context':
      return (
        <div className="block-context">
          <Mrkdwn text={block.text} />
        </div>
      );
    case 'link': {
      const url = safeUrl(block.url) ?? (block.url.startsWith('/') && !block.url.startsWith('//') ? block.url : undefined);
      return (
        <div className="block-link">
          {url ? (
            <a href={url} target="_blank" rel="noopener noreferrer nofollow">
              {block.label}
            </a>
          ) : (
            <span>{block.label}</span>
          )}
        </div>
      );
    }
    case 'divider':
      return <hr className="block-divider" />;
    default:
      return null;
  }
}

function ButtonRow({ buttons, onButton }: { buttons: ChatButton[]; onButton: ButtonHandler }) {
  const [pending, setPending] = useState<string>();
  const [note, setNote] = useState<string>();
  const click = async (button: ChatButton) => {
    setPending(button.value);
    setNote(undefined);
    try {
      await onButton(button);
    } catch (error) {
      setNote(error instanceof ApiError && error.code === 'CLICK_STALE' ? 'Already answered.' : describeError(error));
    } finally {
      setPending(undefined);
    }
  };
  return (
    <div className="block-buttons">
      <div className="button-row" role="group">
        {buttons.map((button) => (
          <button
            key={button.value + button.label}
            type="button"
            className={button.style === 'danger' ? 'danger' : button.style === 'primary' ? 'primary' : undefined}
            disabled={pending !== undefined}
            aria-busy={pending === button.value}
            onClick={() => void click(button)}
          >
            {button.label}
          </button>
        ))}
      </div>
      {note && (
        <p className="note" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
