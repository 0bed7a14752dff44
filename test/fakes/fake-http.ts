/**
 * What every fake vendor API shares: reading a body, listening on 127.0.0.1, closing, and the
 * on-demand faults tests ask for (the next N requests rate limited or failing). Each fake keeps
 * its vendor's own answer shapes and headers; only the bookkeeping lives here.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One armed fault: the next `count` requests (of `method`, whose path contains `path`) answer it. */
export interface Trap {
  kind: 'limit' | 'fail';
  count: number;
  status: number;
  /** Seconds for Retry-After; null sends none. */
  retryAfter?: number | null;
  method?: string;
  path?: string;
}

/** The armed faults of one fake, and the way its handler takes the next one that applies. */
export interface Traps {
  /** The next `count` requests (of `method`, if given) answer 429 with Retry-After `retryAfter` seconds (default 5). */
  rateLimitNext(count: number, options?: { retryAfter?: number; method?: string }): void;
  /** The next `count` requests matching answer `status` in the vendor's error shape. */
  failNext(count: number, status: number, options?: { method?: string; path?: string }): void;
  /** Arms any fault (a vendor's own kind of limit, say). */
  arm(trap: Trap): void;
  /** The fault this request meets, used up by one, if any is armed for it. */
  take(method: string, path: string): Trap | undefined;
}

/** What a tracker fake offers every test: its URL, the requests it saw, faults on demand, close. */
export interface FakeVendor extends Pick<Traps, 'rateLimitNext' | 'failNext'> {
  url: string;
  /** `METHOD /path?query` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A fresh set of faults, none armed. */
export function createTraps(): Traps {
  const traps: Trap[] = [];
  return {
    rateLimitNext: (count, o = {}) => traps.push({ kind: 'limit', count, status: 429, retryAfter: o.retryAfter ?? 5, method: o.method }),
    failNext: (count, status, o = {}) => traps.push({ kind: 'fail', count, status, method: o.method, path: o.path }),
    arm: (trap) => traps.push(trap),
    take(method, path) {
      const trap = traps.find((t) => t.count > 0 && (!t.method || t.method === method) && (!t.path || path.includes(t.path)));
      if (trap) trap.count--;
      return trap;
    },
  };
}

/** The request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Listens on a free port of 127.0.0.1 and answers the base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server and every connection still open to it. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
