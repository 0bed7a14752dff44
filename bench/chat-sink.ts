import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A zero-latency chat endpoint on 127.0.0.1 that notes when each numbered message arrived. */
export interface ChatSink {
  url: string;
  /** Message number (the `#<n>` in its text) → performance.now() of its arrival. */
  arrivals: Map<number, number>;
  received(): number;
  close(): Promise<void>;
}

/** Starts the sink; bodies above 64 KiB are refused so a runaway sender cannot fill memory. */
export async function startChatSink(): Promise<ChatSink> {
  const arrivals = new Map<number, number>();
  let received = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 65_536) chunks.push(chunk);
    });
    req.on('end', () => {
      const at = performance.now();
      if (size > 65_536) {
        res.writeHead(413).end();
        return;
      }
      received += 1;
      const number = /#(\d+)\b/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      if (number !== undefined && !arrivals.has(Number(number))) arrivals.set(Number(number), at);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/chat.postMessage`,
    arrivals,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
