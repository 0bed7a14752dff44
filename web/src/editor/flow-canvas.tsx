import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import { applyNodeChanges, Background, Controls, MarkerType, ReactFlow, useReactFlow, type Connection, type Edge, type Node, type NodeChange } from '@xyflow/react';
import type { BoxInfo, FlowProblem } from '../api/types.js';
import { useTheme } from '../ui/theme.js';
import { BoxNode, TriggerNode, type BoxNodeData, type TriggerNodeData } from './box-node.js';
import { arrowsOf, layoutFlow, outputsOf, startBoxes, type Arrow } from './flow-graph.js';
import { BOX_BASE_KEYS } from '../../../src/flows/flow-graph.js';
import type { BoxLike, FlowLike } from './flow-yaml.js';

export const TRIGGER_NODE = '__trigger';
/** The drag payload type of palette items. */
export const BOX_DRAG_TYPE = 'application/x-sidekick-box';

const nodeTypes = { box: BoxNode, trigger: TriggerNode };

export interface SimView {
  visited: Set<string>;
  current?: string;
  /** `${from}:${output}` of outputs the run left by. */
  ports: Set<string>;
}

const BASE_KEYS: ReadonlySet<string> = new Set(BOX_BASE_KEYS);

/** One line that tells boxes of the same type apart on the canvas. */
export function summaryOf(box: BoxLike, info: BoxInfo | undefined): string | undefined {
  const keys = [...Object.keys(info?.templates ?? {}), ...Object.keys(box)].filter((key) => !BASE_KEYS.has(key));
  for (const key of keys) {
    const value = box[key];
    if (typeof value === 'string' && value.trim()) {
      const text = value.replace(/\s+/g, ' ').trim();
      return text.length > 60 ? `${text.slice(0, 59)}…` : text;
    }
  }
  return undefined;
}

function matchSummary(match: Record<string, unknown> | undefined): string {
  if (!match) return '';
  return Object.entries(match)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ')
    .slice(0, 80);
}

/** The boxes-and-arrows canvas. Edits go back up as intents; the YAML text stays the one truth. */
export function FlowCanvas(props: {
  flow: FlowLike;
  infos: Map<string, BoxInfo>;
  problems: FlowProblem[];
  selected?: string;
  sim?: SimView;
  onSelect: (id: string | undefined) => void;
  onConnect: (arrow: Arrow) => void;
  onDelete: (boxIds: string[], arrows: Arrow[]) => void;
  onMove: (id: string, position: { x: number; y: number }) => void;
  onDropType: (type: string, position: { x: number; y: number }) => void;
  /** A spot to bring into view (a box added from the keyboard may land off-screen). */
  reveal?: { x: number; y: number };
}) {
  const { flow, infos, problems, selected, sim, reveal } = props;
  const { screenToFlowPosition, setCenter, getZoom } = useReactFlow();
  const theme = useTheme();
  useEffect(() => {
    if (reveal) void setCenter(reveal.x + 100, reveal.y + 50, { zoom: getZoom(), duration: 250 });
  }, [reveal, setCenter, getZoom]);
  const derived = useMemo(() => {
    const layout = layoutFlow(flow);
    const nodes: Node[] = [
      {
        id: TRIGGER_NODE,
        type: 'trigger',
        ariaLabel: `Trigger: on ${flow.trigger?.on ?? 'alert'}`,
        position: layout.trigger,
        deletable: false,
        connectable: false,
        selected: selected === TRIGGER_NODE,
        data: { on: flow.trigger?.on ?? 'alert', match: matchSummary(flow.trigger?.match) } satisfies TriggerNodeData,
      },
    ];
    const seen = new Set<string>();
    for (const box of flow.boxes) {
      // A duplicated id is reported by validation; the canvas draws the first one only.
      if (!box.id || seen.has(box.id)) continue;
      seen.add(box.id);
      const info = infos.get(box.type);
      const boxProblems = problems.filter((problem) => problem.boxId === box.id);
      nodes.push({
        id: box.id,
        type: 'box',
        ariaLabel: `${info?.title ?? box.type} box ${box.id}${boxProblems.length ? `, ${boxProblems.length} problems` : ''}`,
        position: layout.boxes.get(box.id)!,
        selected: selected === box.id,
        data: {
          boxId: box.id,
          type: box.type,
          typeTitle: info?.title ?? box.type,
          title: typeof box.title === 'string' ? box.title : undefined,
          summary: summaryOf(box, info),
          outputs: outputsOf(box, info),
          problems: boxProblems,
          known: infos.size === 0 || Boolean(info),
          sim: sim?.current === box.id ? 'current' : sim?.visited.has(box.id) ? 'visited' : undefined,
        } satisfies BoxNodeData,
      });
    }
    const edges: Edge[] = startBoxes(flow)
      .filter((id) => seen.has(id))
      .map((id) => ({
        id: `${TRIGGER_NODE}->${id}`,
        source: TRIGGER_NODE,
        sourceHandle: 'start',
        target: id,
        targetHandle: 'in',
        deletable: false,
        selectable: false,
        focusable: false,
        className: 'edge-start',
      }));
    for (const box of flow.boxes) {
      if (!seen.has(box.id)) continue;
      for (const arrow of arrowsOf(box)) {
        if (!seen.has(arrow.to)) continue;
        const taken = sim?.ports.has(`${arrow.from}:${arrow.output}`) && sim.visited.has(arrow.to);
        edges.push({
          id: `${arrow.from}:${arrow.output}->${arrow.to}`,
          source: arrow.from,
          sourceHandle: arrow.output,
          target: arrow.to,
          targetHandle: 'in',
          label: arrow.output === 'next' ? undefined : arrow.output,
          markerEnd: { type: MarkerType.ArrowClosed },
          className: taken ? 'edge-taken' : undefined,
          animated: Boolean(taken),
          data: { ...arrow },
          ariaLabel: `Arrow from ${arrow.from} ${arrow.output} to ${arrow.to}`,
        });
      }
    }
    return { nodes, edges };
  }, [flow, infos, problems, selected, sim]);

  // Nodes live in local state while dragged; every change of the flow re-derives them.
  const [nodes, setNodes] = useState<Node[]>(derived.nodes);
  useEffect(() => {
    setNodes((current) => {
      const measured = new Map(current.map((node) => [node.id, node.measured]));
      return derived.nodes.map((node) => ({ ...node, measured: measured.get(node.id) }));
    });
  }, [derived.nodes]);
  const { onSelect, onConnect, onDelete, onMove, onDropType } = props;
  // Selection made on the canvas (click, keyboard) arrives here as a change; selection set by the
  // inspector flows down through `selected`. Listening to onSelectionChange instead races the store.
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const chosen = changes.filter((change) => change.type === 'select' && change.selected);
      if (chosen.length === 1 && chosen[0]!.type === 'select') onSelect(chosen[0]!.id);
      setNodes((current) =>
        applyNodeChanges(
          changes.filter((change) => change.type !== 'remove'),
          current,
        ),
      );
    },
    [onSelect],
  );
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(BOX_DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      onDropType(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [onDropType, screenToFlowPosition],
  );
  return (
    <div
      className="canvas"
      onDrop={onDrop}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes(BOX_DRAG_TYPE)) {
          event.preventDefault();
          event.dataTransfer.dropEffect = 'copy';
        }
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={derived.edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onConnect={(connection: Connection) => {
          if (!connection.source || !connection.target || connection.source === TRIGGER_NODE) return;
          onConnect({ from: connection.source, output: connection.sourceHandle ?? 'next', to: connection.target });
        }}
        isValidConnection={(connection) => connection.target !== TRIGGER_NODE && connection.source !== TRIGGER_NODE}
        onNodeDragStop={(_event, node) => {
          if (node.id !== TRIGGER_NODE) onMove(node.id, node.position);
        }}
        onNodeClick={(_event, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(undefined)}
        onDelete={({ nodes: gone, edges: cut }) =>
          onDelete(
            gone.map((node) => node.id).filter((id) => id !== TRIGGER_NODE),
            cut.map((edge) => edge.data as Arrow | undefined).filter((arrow): arrow is Arrow => Boolean(arrow)),
          )
        }
        deleteKeyCode={['Delete', 'Backspace']}
        colorMode={theme}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
