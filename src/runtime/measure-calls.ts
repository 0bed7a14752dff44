/** How one call to an outside service ended. */
export type CallOutcome = 'ok' | 'error';

export type ObserveCall = (service: string, operation: string, outcome: CallOutcome, ms: number) => void;

/**
 * Wraps a provider (chat adapter, meeting provider, issue tracker, graph provider) so that every
 * asynchronous method call is timed and counted under the provider's `name` and the method's
 * name. Retries a client makes inside one call (Slack's 429 handling, a refreshed Zoom token) are
 * part of that call: the figure is what the box waited. Synchronous methods and properties pass
 * through untouched.
 */
export function measureCalls<T extends { readonly name: string }>(provider: T, observe: ObserveCall): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(provider, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string' || key === 'constructor') return value;
      let method = wrapped.get(key);
      if (!method) {
        const original = value as (...args: unknown[]) => unknown;
        method = function measured(...args: unknown[]): unknown {
          const started = performance.now();
          const result = original.apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (answer: unknown) => {
              observe(target.name, key, 'ok', performance.now() - started);
              return answer;
            },
            (error: unknown) => {
              observe(target.name, key, 'error', performance.now() - started);
              throw error;
            },
          );
        };
        wrapped.set(key, method);
      }
      return method;
    },
  });
}
