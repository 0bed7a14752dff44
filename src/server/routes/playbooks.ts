import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime/create-runtime.js';
import { renderTemplate, TemplateError, type EscapeMode } from '../../templates/render.js';
import type { ChatBlock } from '../../chat/chat.js';
import { HttpError } from '../http-error.js';
import { listSamples } from './flows.js';
import { getAlertSource } from '../../alerts/sources/index.js';
import { sampleScope } from '../../flows/build-scope.js';
import type { PlaybookList, PlaybookPreview } from '../api-types.js';
import { resolveSample } from '../../flows/resolve-paths.js';
import { loadSampleAlert } from '../../runtime/load-sample-alert.js';
import type { LoadedFlow } from '../../flows/flow-catalog.js';

/** Playbooks as chat will show them, with commands filled from a chosen sample alert. */
export function registerPlaybookRoutes(app: FastifyInstance, runtime: Runtime) {
  app.get('/api/playbooks', async () => {
    const problems = runtime.playbooks.problems();
    const kept = new Set(runtime.playbooks.kept?.() ?? []);
    return {
      playbooks: runtime.playbooks.list().map((playbook) => ({
        id: playbook.id,
        title: playbook.title,
        file: playbook.file,
        pages: playbook.pages.map((page) => ({ id: page.id, title: page.title })),
        problems: problems.filter((problem) => problem.file === playbook.file),
        // The file has errors and this is the version read before, still in use.
        kept: kept.has(playbook.id),
      })),
    } satisfies PlaybookList;
  });

  app.get<{ Params: { id: string }; Querystring: { sample?: string; flow?: string } }>('/api/playbooks/:id', async (request) => {
    const playbook = runtime.playbooks.get(request.params.id);
    if (!playbook) throw new HttpError(404, 'PLAYBOOK_NOT_FOUND', `no playbook "${request.params.id}"`);
    let scope: Record<string, unknown> = {};
    // Without a chosen sample, the alert of a flow that shows this playbook (the one named by
    // `flow`, else the first with a sample): its commands then read as they will in that flow.
    let sample: { flow: string; file: string; source: string } | undefined;
    if (!request.query.sample) {
      const loaded = flowShowing(runtime, playbook.id, request.query.flow);
      if (loaded?.flow.sample) {
        const file = resolveSample(loaded.file, loaded.flow.sample.file);
        const alert = await loadSampleAlert(loaded.flow.sample.source, file).catch(() => undefined);
        if (alert) {
          scope = sampleScope(loaded.flow, alert, runtime.services.publicUrl);
          sample = { flow: loaded.flow.id, file: loaded.flow.sample.file, source: loaded.flow.sample.source };
        }
      }
    } else {
      const chosen = (await listSamples()).find((candidate) => candidate.name === request.query.sample);
      if (!chosen) throw new HttpError(404, 'SAMPLE_NOT_FOUND', `no sample "${request.query.sample}"`);
      const [alert] = getAlertSource(chosen.source)?.parse(chosen.payload, { headers: {}, receivedAt: new Date() }, {}) ?? [];
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
    return { playbook, rendered, ...(sample ? { sample } : {}) } satisfies PlaybookPreview;
  });
}

/** The flow (by id, else the first) that has a playbook box showing this playbook and names a sample. */
function flowShowing(runtime: Runtime, playbookId: string, flowId: string | undefined): LoadedFlow | undefined {
  const shows = (loaded: LoadedFlow) => loaded.flow.boxes.some((box) => box.type === 'playbook' && (box as { playbook?: unknown }).playbook === playbookId);
  const candidates = runtime.flows.flows.filter((loaded) => loaded.flow.sample && shows(loaded));
  return candidates.find((loaded) => loaded.flow.id === flowId) ?? candidates[0];
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
