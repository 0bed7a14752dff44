import type { App, Receiver, ReceiverEvent } from '@slack/bolt';

/**
 * A Bolt `Receiver` whose requests come from our own Fastify route (`registerSlackRoutes`) instead
 * of a second HTTP server: Bolt keeps the routing, acks and middleware; Fastify keeps the port,
 * the body limits and the logging.
 */
export class FastifySlackReceiver implements Receiver {
  private app?: App;

  init(app: App): void {
    this.app = app;
  }

  /** Nothing to listen on: the Fastify server is started by Sidekick. */
  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Hands one verified, parsed request to Bolt. */
  processEvent(event: ReceiverEvent): Promise<void> {
    if (!this.app) return Promise.reject(new Error('FastifySlackReceiver was not given to a Bolt App'));
    return this.app.processEvent(event);
  }
}
