/**
 * A fake OpenAI-compatible chat completions server on 127.0.0.1 (the shape OpenAI, Ollama, vLLM
 * and llama.cpp's server share): `POST /v1/chat/completions` (or `/chat/completions` under any
 * base), a bearer key required (any non-empty key, like Ollama), the `chat.completion` answer
 * with `usage`, or with `stream: true` server-sent `chat.completion.chunk` events ending in
 * `data: [DONE]` (a usage chunk first when `stream_options.include_usage`). Failure modes as the
 * real servers give them: 401 `invalid_api_key`, 400 `context_length_exceeded`, 429 with
 * Retry-After, 500/503, an answer that is not the JSON asked for, and a slow answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatRequest {
  authorization?: string;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    response_format?: { type: string; json_schema?: { name?: string; schema?: unknown } };
    max_tokens?: number;
  };
}

export type FakeOpenAiMode =
  { kind: 'answer' } | { kind: 'slow'; ms: number } | { kind: 'status'; status: 400 | 401 | 404 | 429 | 500 | 503; retryAfter?: number } | { kind: 'garbage'; text: string } | { kind: 'html' };

export interface FakeOpenAi {
  /** Base URL to configure (ends in /v1). */
  url: string;
  requests: FakeChatRequest[];
  /** What the model writes for a request (the assistant message's content). */
  answer: (request: FakeChatRequest) => string;
  mode: FakeOpenAiMode;
  close(): Promise<void>;
}

/** Starts the fake; `answer` decides the content the "model" writes. */
export async function startFakeOpenAi(answer: (request: FakeChatRequest) => string = () => 'Hello.'): Promise<FakeOpenAi> {
  const sockets = new Set<import('node:net').Socket>();
  const fake: FakeOpenAi = { url: '', requests: [], answer, mode: { kind: 'answer' }, close: async () => {} };
  const server = createServer((req, res) => void handle(fake, req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return fake;
}

async function handle(fake: FakeOpenAi, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const path = (req.url ?? '').split('?')[0]!;
  if (req.method !== 'POST' || !path.endsWith('/chat/completions')) return error(res, 404, `Unknown request URL: ${req.method} ${path}`, 'invalid_request_error', 'unknown_url');
  const authorization = req.headers.authorization;
  if (!authorization || !/^Bearer \S+/.test(authorization)) return error(res, 401, 'You didn\u2019t provide an API key.', 'invalid_request_error', 'invalid_api_key');
  let body: FakeChatRequest['body'];
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return error(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null);
  }
  if (!body.model) return error(res, 400, 'you must provide a model parameter', 'invalid_request_error', null);
  if (!Array.isArray(body.messages) || body.messages.length === 0) return error(res, 400, "'messages' must contain at least one message", 'invalid_request_error', null);
  const request: FakeChatRequest = { authorization, body };
  fake.requests.push(request);
  const mode = fake.mode;
  if (mode.kind === 'slow') {
    // Holds the answer back; the client's deadline is what ends the wait (or the fake's close).
    await new Promise((resolve) => setTimeout(resolve, mode.ms).unref());
    if (res.destroyed) return;
  }
  if (mode.kind === 'status') {
    if (mode.status === 429) res.setHeader('retry-after', String(mode.retryAfter ?? 20));
    const [message, type, code] = STATUS_ERRORS[mode.status];
    return error(res, mode.status, message, type, code);
  }
  if (mode.kind === 'html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>');
    return;
  }
  const content = mode.kind === 'garbage' ? mode.text : fake.answer(request);
  const id = `chatcmpl-${fake.requests.length}`;
  const created = 1767261600;
  const usage = { prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    const base = { id, object: 'chat.completion.chunk', created, model: body.model };
    send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    // Pieces of uneven size, as models stream them.
    for (let at = 0; at < content.length; at += 7) send({ ...base, choices: [{ index: 0, delta: { content: content.slice(at, at + 7) }, finish_reason: null }] });
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    if (body.stream_options?.include_usage) send({ ...base, choices: [], usage });
    res.end('data: [DONE]\n\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage,
    }),
  );
}

const STATUS_ERRORS: Record<400 | 401 | 404 | 429 | 500 | 503, [string, string, string | null]> = {
  400: ["This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", 'invalid_request_error', 'context_length_exceeded'],
  401: ['Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'],
  404: ['The model `nope` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'],
  429: ['Rate limit reached for requests. Please try again in 20s.', 'requests', 'rate_limit_exceeded'],
  500: ['The server had an error while processing your request. Sorry about that!', 'server_error', null],
  503: ['The engine is currently overloaded, please try again later.', 'server_error', null],
};

function error(res: ServerResponse, status: number, message: string, type: string, code: string | null) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type, param: null, code } }));
}
