import { Agent, request } from 'node:http';
import type { ChatAdapter, ChatMessage, OpenedChannel, PostedMessage } from '../src/chat/chat.js';

/**
 * A chat adapter that posts each message as JSON to an HTTP endpoint (the benchmark's chat sink),
 * so Sidekick and Node-RED do the same outside work: one HTTP POST per message, keep-alive.
 */
export class HttpChat implements ChatAdapter {
  readonly name = 'http-sink';
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly url: URL;
  private sequence = 0;

  constructor(url: string) {
    this.url = new URL(url);
  }

  async resolveChannel(nameOrId: string): Promise<string> {
    return nameOrId;
  }

  async post(channel: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    await this.send({ channel, text: message.text, key: idempotencyKey });
    return { channel, id: `m${++this.sequence}` };
  }

  async update(): Promise<void> {}

  async directMessage(userId: string, message: ChatMessage, idempotencyKey: string): Promise<PostedMessage> {
    return this.post(`@${userId}`, message, idempotencyKey);
  }

  async openChannel(request: { name: string }): Promise<OpenedChannel> {
    return { id: request.name, name: request.name };
  }

  async history(): Promise<[]> {
    return [];
  }

  private send(payload: Record<string, string>): Promise<void> {
    const body = Buffer.from(JSON.stringify(payload));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
        },
        (res) => {
          res.resume();
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`chat sink answered ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
