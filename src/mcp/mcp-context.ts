import type { Runtime } from '../runtime/create-runtime.js';
import { secretsOf } from '../runtime/secrets.js';
import type { Incident } from '../incidents/incident.js';
import { IncidentNotFound } from '../incidents/incident-service.js';

/** What the tools need from a running Sidekick, and the name writes are recorded under. */
export interface McpContext {
  runtime: Runtime;
  secrets: string[];
  /** Who a write is recorded as on the timeline (`assistant via MCP`, with the client's name when known). */
  actor(): string;
  /** An incident by id or number (`42`, `INC-42`), or IncidentNotFound. */
  findIncident(idOrNumber: string): Promise<Incident>;
}

/** Builds the tools' context; `clientName` is read when a write happens (after the handshake). */
export function createMcpContext(runtime: Runtime, clientName: () => string | undefined): McpContext {
  return {
    runtime,
    secrets: secretsOf(runtime.config),
    actor: () => {
      const name = clientName()
        ?.replace(/[^\w .@-]/g, '')
        .slice(0, 40);
      return name ? `${name} (MCP)` : 'assistant (MCP)';
    },
    async findIncident(idOrNumber) {
      const key = idOrNumber.trim().replace(/^INC-/i, '');
      const incident = await runtime.store.getIncident(key);
      if (!incident) throw new IncidentNotFound(idOrNumber);
      return incident;
    },
  };
}
