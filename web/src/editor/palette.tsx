import { useState } from 'react';
import type { BoxInfo } from '../api/types.js';
import { BOX_DRAG_TYPE } from './flow-canvas.js';

/** Box types to drag onto the canvas; Enter or a click adds one beside the others (keyboard users). */
export function Palette({ boxes, onAdd }: { boxes: BoxInfo[]; onAdd: (type: string) => void }) {
  const [filter, setFilter] = useState('');
  const shown = boxes.filter((box) => `${box.type} ${box.title} ${box.description}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <aside className="palette" aria-labelledby="palette-title">
      <h2 id="palette-title">Boxes</h2>
      <label className="visually-hidden" htmlFor="palette-filter">
        Filter box types
      </label>
      <input id="palette-filter" type="search" placeholder="Filter…" value={filter} onChange={(event) => setFilter(event.target.value)} />
      <ul>
        {shown.map((box) => (
          <li key={box.type}>
            <button
              type="button"
              className="palette-item"
              draggable
              data-type={box.type}
              title={box.description}
              onDragStart={(event) => {
                event.dataTransfer.setData(BOX_DRAG_TYPE, box.type);
                event.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => onAdd(box.type)}
            >
              <span className="palette-title">{box.title}</span>
              <span className="palette-desc">{box.description}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="muted small-text">Drag a box onto the canvas, then drag from an output (right) to another box’s input (left).</p>
    </aside>
  );
}
