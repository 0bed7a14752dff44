import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { isValidSlackSignature, verifySlackSignature, type SlackSignatureError } from './verify-slack-signature.js';

/**
 * `POST /slack/events`: events, interactivity and slash commands on one URL, as Slack sends them.
 * The raw body is kept (inside this plugin only) because the signature covers the exact bytes.
 * Anything unsigned, wrongly signed or stale gets 401 and reaches nothing.
 */
export interface SlackRoutesOptions {
  signingSecret: string;
  /** A Bolt App, or our FastifySlackReceiver: anything that processes a Bolt `ReceiverEvent`. */
  app: { processEvent(event: ReceiverEvent): Promise<void> };
  /** Milliseconds since the epoch, for the replay window. */
  now?: () => number;
  log?: Logger;
  path?: string;
  /** Answer Slack by then even if no listener acked (Slack gives up at 3 s). */
  ackTimeoutMs?: number;
}

/** Slack's biggest payloads (a block_actions carrying a 50-block message) stay far below this. */
const BODY_LIMIT = 1024 * 1024;

export function registerSlackRoutes(fastify: FastifyInstance, options: SlackRoutesOptions): void {
  if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack HTTP mode (Basic Information → Signing Secret)');
  void fastify.register(async (scope) => {
    // Encapsulated: these parsers apply to this route only, the rest of the server keeps its own.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(options.path ?? '/slack/events', { bodyLimit: BODY_LIMIT }, (request, reply) => handle(request, reply, options));
  });
}

async function handle(request: FastifyRequest, reply: FastifyReply, options: SlackRoutesOptions): Promise<unknown> {
  const rawBody = typeof request.body === 'string' ? request.body : '';
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const signature = {
    signingSecret: options.signingSecret,
    timestamp: header('x-slack-request-timestamp'),
    signature: header('x-slack-signature'),
    rawBody,
    now: options.now?.(),
  };
  if (!isValidSlackSignature(signature)) {
    let code = 'SLACK_SIGNATURE_MISMATCH';
    try {
      verifySlackSignature(signature);
    } catch (error) {
      code = (error as SlackSignatureError).code;
    }
    options.log?.warn({ code, ip: request.ip }, 'slack: request refused');
    return reply.code(401).send({ error: code, message: 'the request is not signed by Slack with our signing secret, or is too old' });
  }

  const body = parseBody(rawBody, String(request.headers['content-type'] ?? ''));
  if (!body) return reply.code(400).send({ error: 'SLACK_BODY_INVALID', message: 'expected Slack JSON, or a form with a JSON `payload`' });
  if (body.ssl_check === '1') return reply.code(200).send('');
  if (body.type === 'url_verification') {
    if (typeof body.challenge !== 'string') return reply.code(400).send({ error: 'SLACK_BODY_INVALID', message: 'url_verification without a challenge' });
    return reply.code(200).send({ challenge: body.challenge });
  }

  let acked: (response: unknown) => void = () => {};
  const ack = new Promise<{ response: unknown }>((resolve) => {
    acked = (response) => resolve({ response });
  });
  const retryNum = Number(header('x-slack-retry-num'));
  const event: ReceiverEvent = {
    body,
    ...(Number.isInteger(retryNum) ? { retryNum, retryReason: header('x-slack-retry-reason') } : {}),
    ack: async (response?: unknown) => acked(response),
  };
  const processing = options.app.processEvent(event).then(
    () => ({ done: true as const }),
    (error: unknown) => ({ error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ timeout: true }>((resolve) => {
    timer = setTimeout(() => resolve({ timeout: true }), options.ackTimeoutMs ?? 2800);
  });
  const first = await Promise.race([ack, processing, timeout]);
  clearTimeout(timer);
  void processing.then((outcome) => {
    if ('error' in outcome) options.log?.error({ err: (outcome.error as Error)?.message }, 'slack: processing failed');
  });
  if ('error' in first) return reply.code(500).send({ error: 'SLACK_PROCESSING_FAILED', message: 'Sidekick could not handle this request; Slack will retry' });
  const response = 'response' in first ? first.response : undefined;
  if (response === undefined || response === '') return reply.code(200).send('');
  if (typeof response === 'string') return reply.code(200).type('text/plain; charset=utf-8').send(response);
  return reply.code(200).send(response);
}

/** JSON for events; a form for commands (fields) and interactivity (one `payload` field of JSON). */
function parseBody(raw: string, contentType: string): Record<string, unknown> | undefined {
  try {
    if (contentType.startsWith('application/json')) {
      const value = JSON.parse(raw);
      return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    }
    const form = Object.fromEntries(new URLSearchParams(raw));
    if (typeof form.payload === 'string') {
      const payload = JSON.parse(form.payload);
      return payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : undefined;
    }
    return form;
  } catch {
    return undefined;
  }
}
