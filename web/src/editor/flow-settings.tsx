import { useState } from 'react';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { DraftInput } from './draft-input.js';
import type { FlowLike } from './flow-yaml.js';
import type { OnValue } from './schema-form.js';

const TRIGGER_EVENTS = ['alert', 'declared', 'opened', 'mitigated', 'resolved', 'reopened'];

/** The flow's own settings: name, trigger and whether it is on. */
export function FlowSettings({ flow, onValue }: { flow: FlowLike; onValue: OnValue }) {
  const [matchError, setMatchError] = useState<string>();
  const match = flow.trigger?.match;
  return (
    <div className="inspector-body">
      <h2>Flow</h2>
      <div className="field">
        <span className="field-label">id</span> <code>{flow.id}</code>
      </div>
      <div className="field">
        <label htmlFor="flow-name" className="field-label">
          name
        </label>
        <DraftInput id="flow-name" value={flow.name ?? ''} onCommit={(text) => onValue(['name'], text || undefined, 'flow:name')} />
      </div>
      <div className="field">
        <label htmlFor="flow-description" className="field-label">
          description
        </label>
        <DraftInput id="flow-description" multiline rows={2} value={flow.description ?? ''} onCommit={(text) => onValue(['description'], text || undefined, 'flow:description')} />
      </div>
      <div className="field checkbox">
        <input id="flow-enabled" type="checkbox" checked={flow.enabled !== false} onChange={(event) => onValue(['enabled'], event.target.checked ? undefined : false, 'flow:enabled')} />
        <label htmlFor="flow-enabled">enabled</label>
      </div>
      <fieldset className="field">
        <legend>Trigger</legend>
        <label htmlFor="trigger-on" className="field-label">
          starts on
        </label>
        <select id="trigger-on" value={flow.trigger?.on ?? 'alert'} onChange={(event) => onValue(['trigger', 'on'], event.target.value, 'flow:on')}>
          {TRIGGER_EVENTS.map((event) => (
            <option key={event} value={event}>
              {event === 'alert' ? 'a new alert' : `incident ${event}`}
            </option>
          ))}
        </select>
        <label htmlFor="trigger-match" className="field-label">
          match (YAML: source, title, severity, labels)
        </label>
        <DraftInput
          id="trigger-match"
          multiline
          className="yaml-input"
          rows={4}
          spellCheck={false}
          value={match && Object.keys(match).length ? stringifyYaml(match, { lineWidth: 0 }).trimEnd() : ''}
          placeholder={'severity: [critical, high]\ntitle: "*replication*"'}
          onCommit={(text) => {
            try {
              const parsed = text.trim() ? parseYaml(text, { maxAliasCount: 10 }) : undefined;
              if (parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) throw new Error('match is a map of fields');
              onValue(['trigger', 'match'], parsed, 'flow:match');
              setMatchError(undefined);
            } catch (caught) {
              setMatchError((caught as Error).message.split('\n')[0]);
            }
          }}
        />
        {matchError && <p className="error">{matchError}</p>}
        <label htmlFor="trigger-priority" className="field-label">
          priority
        </label>
        <DraftInput
          id="trigger-priority"
          type="number"
          value={flow.trigger?.priority === undefined ? '' : String(flow.trigger.priority)}
          placeholder="0"
          onCommit={(text) => {
            const number = Number.parseInt(text, 10);
            onValue(['trigger', 'priority'], text.trim() === '' ? undefined : Number.isFinite(number) ? number : undefined, 'flow:priority');
          }}
        />
      </fieldset>
    </div>
  );
}
