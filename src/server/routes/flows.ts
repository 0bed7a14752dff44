import { mkdir, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { join, resolve, basename, relative, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Runtime } from '../../runtime/create-runtime.js';
import { checkFlowText } from '../../flows/load-flows.js';
import { flowSchema } from '../../flows/flow-schema.js';
import { sampleScope } from '../../flows/build-scope.js';
import { allBoxTypes } from '../../boxes/registry.js';
import { templatesOf } from '../../boxes/box-templates.js';
import { loadSampleAlert } from '../../runtime/load-sample-alert.js';
import { renderTemplate, checkTemplate, TemplateError } from '../../templates/render.js';
import { examplesDir, findFlowById } from '../../flows/resolve-paths.js';
import { hashFlow } from '../../flows/hash-flow.js';
import { HttpError } from '../http-error.js';
import { parseBody } from '../parse-body.js';
import type { BoxList, FlowCheck, FlowDetail, FlowList, JsonSchema, SampleList, SimResult, TemplatePreview } from '../api-types.js';

const flowId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,80}$/i, 'a flow id uses letters, digits, - and _');

/** Flows, box types, samples and template previews: what the editor needs. */
export function registerFlowRoutes(app: FastifyInstance, runtime: Runtime) {
  // A flow sent to the API may name any path as its sample: only files in a flow folder or the
  // bundled examples are read, so the editor cannot be used to read other files on the host.
  const loadSample = async (source: string, path: string) => {
    const file = resolve(path);
    const roots = [...runtime.flowDirs(), examplesDir()].map((dir) => resolve(dir));
    if (!roots.some((root) => file.startsWith(root + sep))) throw new Error('a sample sent through the API must be a file in a flow folder or in the bundled examples');
    return loadSampleAlert(source, file);
  };
  const options = () => ({ playbooks: runtime.playbooks, loadSample });
  const saveDir = () => runtime.flowDirs().at(-1)!;

  // Problems name files relative to the configuration's folder; loaded flows keep absolute paths.
  const shownPath = (file: string) => relative(runtime.config.configDir, file) || file;
  app.get(
    '/api/flows',
    async () =>
      ({
        flows: runtime.flows.flows.map(({ flow, file, kept }) => ({
          id: flow.id,
          name: flow.name ?? flow.id,
          file,
          enabled: flow.enabled,
          trigger: flow.trigger,
          // The version in service (runs pin it); `kept`: the file has errors and this is the version read before.
          version: hashFlow(flow),
          kept: kept ?? false,
          problems: runtime.flows.problems.filter((p) => p.file === shownPath(file)),
        })),
        problems: runtime.flows.problems,
      }) satisfies FlowList,
  );

  app.get<{ Params: { id: string } }>('/api/flows/:id', async (request) => {
    const id = parseBody(flowId, request.params.id);
    const file = await findFlowFile(runtime, id);
    if (!file) throw new HttpError(404, 'FLOW_NOT_FOUND', `no flow "${id}"`);
    const yaml = await readFile(file, 'utf8');
    const checked = await checkFlowText(yaml, file, options());
    return { id, file, yaml, flow: checked.flow, problems: checked.problems } satisfies FlowDetail;
  });

  app.put<{ Params: { id: string } }>('/api/flows/:id', async (request, reply) => {
    const id = parseBody(flowId, request.params.id);
    const { yaml } = parseBody(
      z
        .object({
          yaml: z
            .string()
            .min(1)
            .max(1024 * 1024),
        })
        .strict(),
      request.body,
    );
    const file = join(saveDir(), `${id}.yaml`);
    const checked = await checkFlowText(yaml, file, options());
    if (checked.flow && checked.flow.id !== id) {
      checked.problems.push({ code: 'FLOW_ID_MISMATCH', message: `the file says id "${checked.flow.id}" but is saved as "${id}"`, file, line: 1, severity: 'error' });
    }
    if (!checked.flow || checked.problems.some((p) => p.severity === 'error')) return reply.code(422).send({ problems: checked.problems });
    await mkdir(saveDir(), { recursive: true });
    await writeFile(file, yaml.endsWith('\n') ? yaml : `${yaml}\n`, 'utf8');
    await runtime.reload();
    return { flow: checked.flow, problems: checked.problems, file };
  });

  app.delete<{ Params: { id: string } }>('/api/flows/:id', async (request, reply) => {
    const id = parseBody(flowId, request.params.id);
    for (const extension of ['yaml', 'yml']) await rm(join(saveDir(), `${id}.${extension}`), { force: true });
    await runtime.reload();
    return reply.code(204).send();
  });

  app.post('/api/flows/validate', async (request) => {
    const { yaml, file } = parseBody(z.object({ yaml: z.string().max(1024 * 1024), file: z.string().optional() }).strict(), request.body);
    const checked = await checkFlowText(yaml, join(saveDir(), basename(file ?? 'flow.yaml')), options());
    return { problems: checked.problems } satisfies FlowCheck;
  });

  app.post('/api/flows/simulate', async (request) => {
    const body = parseBody(
      z.object({ yaml: z.string().max(1024 * 1024), alert: z.object({ source: z.string(), payload: z.unknown() }).optional(), choose: z.array(z.string()).max(100).optional() }).strict(),
      request.body,
    );
    const file = join(saveDir(), 'simulated.yaml');
    const checked = await checkFlowText(body.yaml, file, options());
    if (!checked.flow || checked.problems.some((p) => p.severity === 'error')) return { steps: [], transcript: '', problems: checked.problems } satisfies SimResult;
    // A bad alert is a SimulationInputError: its status (4xx) comes from the error catalogue.
    // The simulator (a whole runtime on a fake clock) loads with the first test run.
    const { simulateFlow } = await import('../../runtime/simulate.js');
    const result = await simulateFlow({ flow: checked.flow, flowFile: file, alert: body.alert, choose: body.choose, playbooks: runtime.playbooks });
    return { ...result, problems: checked.problems } satisfies SimResult;
  });

  app.get(
    '/api/boxes',
    async () =>
      ({
        boxes: allBoxTypes().map((box) => ({
          type: box.type,
          title: box.title,
          description: box.description,
          outputs: box.outputs,
          produces: box.produces ?? [],
          templates: templatesOf(box.settings).modes,
          // zod's JSON Schema; the editor reads the parts JsonSchema names.
          schema: z.toJSONSchema(box.settings, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
        })),
      }) satisfies BoxList,
  );

  app.get('/api/flow-schema', async () => z.toJSONSchema(flowSchema, { io: 'input', unrepresentable: 'any' }));

  app.get('/api/samples', async () => ({ samples: await listSamples() }) satisfies SampleList);

  app.post('/api/templates/preview', async (request) => {
    const body = parseBody(
      z.object({ template: z.string().max(100_000), mode: z.enum(['text', 'shell', 'url', 'json', 'plain']).default('text'), source: z.string().optional(), payload: z.unknown().optional() }).strict(),
      request.body,
    );
    let scope: Record<string, unknown> = {};
    if (body.source && body.payload !== undefined) {
      const { getAlertSource } = await import('../../alerts/sources/index.js');
      const source = getAlertSource(body.source);
      if (!source) throw new HttpError(400, 'ALERT_SOURCE_UNKNOWN', `no alert source "${body.source}"`);
      const [alert] = source.parse(body.payload, { headers: {}, receivedAt: new Date() }, {});
      // The scope a run would see for this alert, so the preview shows what the run will render.
      if (alert) scope = sampleScope({ id: 'preview', vars: {} }, alert, runtime.services.publicUrl);
    }
    const problems = checkTemplate(body.template, Object.keys(scope).length ? scope : undefined);
    try {
      return { ...renderTemplate(body.template, scope, body.mode), problems } satisfies TemplatePreview;
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      // A template being typed is often broken for a moment: say why, render nothing.
      return { text: '', missing: [], sources: [], problems: problems.length ? problems : [{ message: error.message }] } satisfies TemplatePreview;
    }
  });
}

async function findFlowFile(runtime: Runtime, id: string): Promise<string | undefined> {
  return runtime.flows.get(id)?.file ?? findFlowById(id, runtime.flowDirs());
}

/** The bundled example payloads, named by file; the source is the file name's first word. */
export async function listSamples() {
  const dir = join(examplesDir(), 'alerts');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (name) => ({
      name: name.replace(/\.json$/, ''),
      source: name.split('-')[0]!,
      file: `examples/alerts/${name}`,
      payload: JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown,
    })),
  );
}
