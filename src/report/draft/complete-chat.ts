import { DraftError } from './draft-error.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompleteChatOptions {
  /** Base URL of an OpenAI-compatible server (…/v1). */
  url: string;
  key?: string;
  model: string;
  timeoutMs: number;
  maxTokens: number;
  stream: boolean;
  /** A JSON Schema the answer should follow; servers that cannot enforce it are still asked. */
  schema?: { name: string; schema: Record<string, unknown> };
  fetch?: typeof fetch;
}

/** Most of an error body is enough to say what went wrong; never the whole page of a proxy. */
const MAX_ERROR_TEXT = 300;

/**
 * One chat completion from an OpenAI-compatible server, through `fetch` rather than the `openai`
 * package: its current line (7.x) requires Node 22 and Sidekick supports Node 20, and one POST
 * with a deadline is all the draft needs. One attempt, no retries: a report never waits for a
 * model longer than `timeoutMs` in total (the deadline covers the headers and the whole body).
 */
export async function completeChat(messages: ChatMessage[], options: CompleteChatOptions): Promise<string> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const body: Record<string, unknown> = { model: options.model, messages, temperature: 0.2, max_tokens: options.maxTokens, stream: options.stream };
  if (options.schema) body.response_format = { type: 'json_schema', json_schema: { name: options.schema.name, strict: true, schema: options.schema.schema } };
  const url = `${options.url.replace(/\/+$/, '')}/chat/completions`;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: options.stream ? 'text/event-stream' : 'application/json',
        // Servers that check nothing (Ollama, llama.cpp) still expect the header to be there.
        authorization: `Bearer ${options.key || 'sidekick'}`,
      },
      body: JSON.stringify(body),
      signal,
    });
    if (!response.ok) throw await errorOf(response);
    const type = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const content = type.includes('text/event-stream') ? contentOfStream(text) : contentOfJson(text);
    if (!content.trim()) throw new DraftError('AI_BAD_ANSWER', 'the model answered with no text');
    return content;
  } catch (error) {
    if (error instanceof DraftError) throw error;
    if (signal.aborted) throw new DraftError('AI_TIMEOUT', `the model did not answer within ${options.timeoutMs} ms (ai.timeoutMs / SIDEKICK_AI_TIMEOUT_MS)`);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new DraftError('AI_UNAVAILABLE', `the model at ${new URL(url).origin} cannot be reached (${cause ?? (error as Error).message}); is SIDEKICK_AI_URL right?`);
  }
}

async function errorOf(response: Response): Promise<DraftError> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, MAX_ERROR_TEXT);
  try {
    // OpenAI and most compatible servers: {"error":{"message","type","code"}}; some send {"error":"…"}.
    const parsed = JSON.parse(text) as { error?: { message?: string; code?: string } | string };
    const error = parsed.error;
    message = typeof error === 'string' ? error : [error?.code, error?.message].filter(Boolean).join(': ') || message;
  } catch {
    /* not JSON: keep the text */
  }
  const said = `the model answered ${response.status}${message ? `: ${message.slice(0, MAX_ERROR_TEXT)}` : ''}`;
  if (response.status === 429) {
    const after = response.headers.get('retry-after');
    return new DraftError('AI_RATE_LIMITED', `${said}${after ? ` (retry after ${after} s)` : ''}; regenerate the draft later`);
  }
  if (response.status >= 500 || response.status === 408) return new DraftError('AI_UNAVAILABLE', said);
  const hint = response.status === 401 || response.status === 403 ? '; check SIDEKICK_AI_KEY' : response.status === 404 ? '; check SIDEKICK_AI_URL and SIDEKICK_AI_MODEL' : '';
  return new DraftError('AI_REJECTED', `${said}${hint}`);
}

function contentOfJson(text: string): string {
  let parsed: { choices?: { message?: { content?: unknown; refusal?: unknown } }[] };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DraftError('AI_BAD_ANSWER', 'the model server answered something that is not JSON; is SIDEKICK_AI_URL an OpenAI-compatible base URL (…/v1)?');
  }
  const message = parsed.choices?.[0]?.message;
  if (typeof message?.refusal === 'string' && message.refusal) throw new DraftError('AI_BAD_ANSWER', `the model refused: ${message.refusal.slice(0, MAX_ERROR_TEXT)}`);
  if (typeof message?.content !== 'string') throw new DraftError('AI_BAD_ANSWER', 'the answer has no choices[0].message.content');
  return message.content;
}

/** Server-sent events: `data: {chunk}` lines, each chunk adding `choices[0].delta.content`, then `data: [DONE]`. */
function contentOfStream(text: string): string {
  let content = '';
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') break;
    try {
      const chunk = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[]; error?: { message?: string } };
      if (chunk.error) throw new DraftError('AI_UNAVAILABLE', `the model failed mid-answer: ${String(chunk.error.message ?? '').slice(0, MAX_ERROR_TEXT)}`);
      const piece = chunk.choices?.[0]?.delta?.content;
      if (typeof piece === 'string') content += piece;
    } catch (error) {
      if (error instanceof DraftError) throw error;
      throw new DraftError('AI_BAD_ANSWER', 'the streamed answer holds a chunk that is not JSON');
    }
  }
  return content;
}
