import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime/create-runtime.js';
import { renderTemplate, TemplateError, type EscapeMode } from '../../templates/render.js';
import type { ChatBlock } from '../../chat/chat.js';
import { HttpError } from '../http-error.js';
import { listSamples } from './flows.js';
import { getAlertSource } from '../../alerts/sources/index.js';
import { sampleScope } from '../../flows/build-scope.js';
import type { PlaybookList, PlaybookPreview } from '../api-types.js';

/** Playbooks as chat will show them, with commands filled from a chosen sample alert. */
export function registerPlaybookRoutes(app: FastifyInstance, runtime: Runtime) {
  app.get('/api/playbooks', async () => {
    const problems = runtime.playbooks.problems();
    return {
      playbooks: runtime.playbooks.list().map((playbook) => ({
        id: playbook.id,
        title: playbook.title,
        file: playbook.file,
        pages: playbook.pages.map((page) => ({ id: page.id, title: page.title })),
        problems: problems.filter((problem) => problem.file === playbook.file),
      })),
    } satisfies PlaybookList;
  });

  app.get<{ Params: { id: string }; Querystring: { sample?: string } }>('/api/playbooks/:id', async (request) => {
    const playbook = runtime.playbooks.get(request.params.id);
    if (!playbook) throw new HttpError(404, 'PLAYBOOK_NOT_FOUND', `no playbook "${request.params.id}"`);
    let scope: Record<string, unknown> = {};
    if (request.query.sample) {
      const sample = (await listSamples()).find((candidate) => candidate.name === request.query.sample);
      if (!sample) throw new HttpError(404, 'SAMPLE_NOT_FOUND', `no sample "${request.query.sample}"`);
      const [alert] = getAlertSource(sample.source)?.parse(sample.payload, { headers: {}, receivedAt: new Date() }, {}) ?? [];
      // The scope a run would see for this alert, as in the template preview.
      if (alert) scope = sampleScope({ id: 'preview', vars: {} }, alert, runtime.services.publicUrl);
    }
    const rendered = playbook.pages.map((page) => {
      const blocks: ChatBlock[] = [{ type: 'header', text: page.title }];
      for (const content of page.content) {
        if (content.kind === 'text') blocks.push({ type: 'text', text: safeRender(content.text, scope, 'text').text });
        else {
          const result = safeRender(content.template, scope, 'shell');
          blocks.push({ type: 'code', text: result.text, sources: result.sources });
        }
      }
      if (page.choices.length) blocks.push({ type: 'buttons', buttons: page.choices.map((choice) => ({ label: choice.label, value: `go:${choice.to}` })) });
      return { pageId: page.id, blocks };
    });
    return { playbook, rendered } satisfies PlaybookPreview;
  });
}

/** A preview shows a broken template as its error instead of failing the whole page. */
function safeRender(source: string, scope: Record<string, unknown>, mode: EscapeMode) {
  try {
    return renderTemplate(source, scope, mode);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return { text: `⟨template error: ${error.message}⟩`, missing: [], sources: [] };
  }
}
