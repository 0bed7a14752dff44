/** The one way the UI talks to Sidekick: JSON in and out, coded errors, CSRF header on mutations. */

/** An error answer from the API, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Fired on `window` when the API answers 401 so the shell can show the login page. */
export const UNAUTHORIZED_EVENT = 'sidekick:unauthorized';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Calls the API and returns its JSON (or text for non-JSON answers); throws `ApiError` on 4xx/5xx. */
export async function callApi<T>(path: string, options: { method?: Method; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json, text/markdown;q=0.9, */*;q=0.1' };
  // A custom header a cross-site form cannot send: the server refuses mutations without it.
  if (method !== 'GET') headers['x-sidekick-csrf'] = '1';
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'Sidekick cannot be reached; is it running?');
  }
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await response.json().catch(() => undefined) : await response.text();
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/api/login') && typeof window !== 'undefined') {
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    }
    const error = (payload as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `Sidekick answered ${response.status} ${response.statusText}`, payload);
  }
  return payload as T;
}

/** A human sentence for any error thrown by `callApi` or the UI itself. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
