import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { FlowProblem } from '../api/types.js';

export interface BoxNodeData extends Record<string, unknown> {
  boxId: string;
  type: string;
  typeTitle: string;
  title?: string;
  summary?: string;
  outputs: string[];
  problems: FlowProblem[];
  known: boolean;
  /** Test-run state: not reached, reached, or the step being shown now. */
  sim?: 'visited' | 'current';
}

export type BoxNodeType = Node<BoxNodeData, 'box'>;

/** A box on the canvas: one input on the left, one handle per named output on the right. */
export const BoxNode = memo(function BoxNode({ data, selected }: NodeProps<BoxNodeType>) {
  const errors = data.problems.filter((problem) => problem.severity === 'error');
  const warnings = data.problems.filter((problem) => problem.severity !== 'error');
  const classes = ['box-node'];
  if (selected) classes.push('selected');
  if (errors.length) classes.push('has-errors');
  else if (warnings.length) classes.push('has-warnings');
  if (data.sim) classes.push(`sim-${data.sim}`);
  return (
    <div className={classes.join(' ')} data-box={data.boxId} data-sim={data.sim ?? 'none'}>
      <Handle type="target" position={Position.Left} id="in" className="handle-in" aria-label={`Into ${data.boxId}`} />
      <div className="box-type">{data.known ? data.typeTitle : `unknown type “${data.type}”`}</div>
      <div className="box-title">{data.title || data.boxId}</div>
      {data.title && <div className="box-id">{data.boxId}</div>}
      {data.summary && <div className="box-summary">{data.summary}</div>}
      {data.problems.length > 0 && (
        <ul className="box-problems" aria-label={`${data.problems.length} problems`}>
          {data.problems.slice(0, 3).map((problem, index) => (
            <li key={index} className={`box-problem ${problem.severity}`} title={`${problem.code} at line ${problem.line}`}>
              {problem.message}
            </li>
          ))}
          {data.problems.length > 3 && <li className="box-problem more">+{data.problems.length - 3} more</li>}
        </ul>
      )}
      <div className="box-outputs">
        {data.outputs.map((output) => (
          <div key={output} className="box-output">
            <span className="output-label">{output}</span>
            <Handle type="source" position={Position.Right} id={output} className="handle-out" aria-label={`${data.boxId} output ${output}`} />
          </div>
        ))}
      </div>
    </div>
  );
});

export interface TriggerNodeData extends Record<string, unknown> {
  on: string;
  match: string;
}

export type TriggerNodeType = Node<TriggerNodeData, 'trigger'>;

/** Where a run begins: the flow's trigger, with arrows to the start boxes. */
export const TriggerNode = memo(function TriggerNode({ data, selected }: NodeProps<TriggerNodeType>) {
  return (
    <div className={selected ? 'trigger-node selected' : 'trigger-node'}>
      <div className="box-type">trigger</div>
      <div className="box-title">on {data.on}</div>
      {data.match && <div className="box-summary">{data.match}</div>}
      <Handle type="source" position={Position.Right} id="start" isConnectable={false} className="handle-out" />
    </div>
  );
});
