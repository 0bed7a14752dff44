import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { allBoxTypes } from './registry.js';
import { templatesOf } from './box-templates.js';
import { BOX_BASE_KEYS } from '../flows/flow-graph.js';
import { parseFlow } from '../flows/parse-flow.js';

describe('box registry', () => {
  it('has no box setting named like a field every box has (it would be silently shadowed)', () => {
    for (const box of allBoxTypes()) {
      const schema = z.toJSONSchema(box.settings, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
      const clashes = Object.keys(schema.properties ?? {}).filter((key) => (BOX_BASE_KEYS as readonly string[]).includes(key));
      expect(clashes, `box type ${box.type}`).toEqual([]);
    }
  });

  it('lists only settings that exist as templates, and every type has a title and description', () => {
    for (const box of allBoxTypes()) {
      const schema = z.toJSONSchema(box.settings, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
      for (const field of templatesOf(box.settings).keys) expect(Object.keys(schema.properties ?? {}), `${box.type}.${field}`).toContain(field);
      expect(box.title.length).toBeGreaterThan(0);
      expect(box.description.length).toBeGreaterThan(10);
    }
  });

  it('refuses an unknown setting on every box type, as a flow problem at that box', () => {
    for (const box of allBoxTypes()) {
      const text = `id: demo\ntrigger: { on: alert }\nboxes:\n  - id: step\n    type: ${box.type}\n    chanel: "#x"\n`;
      const { problems } = parseFlow(text, 'flows/demo.yaml');
      const unknown = problems.filter((problem) => problem.message.includes('"chanel"'));
      expect(unknown, `box type ${box.type}`).toEqual([expect.objectContaining({ code: 'FLOW_BOX_SETTINGS', file: 'flows/demo.yaml', line: 4, boxId: 'step', severity: 'error' })]);
    }
  });
});
