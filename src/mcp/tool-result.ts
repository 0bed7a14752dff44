import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { redactValue } from '../util/redact.js';

/** Annotations of a tool that only reads Sidekick's own data (PagerDuty's and Grafana's read tools say the same). */
export const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/**
 * A tool's answer: JSON text the model reads, redacted like reports and prompts (secrets never
 * reach an assistant), plus the same object as `structuredContent` for clients that use it.
 */
export function jsonResult(value: Record<string, unknown>, secrets: readonly string[]): CallToolResult {
  const clean = redactValue(value, secrets);
  return { content: [{ type: 'text', text: JSON.stringify(clean, null, 1) }], structuredContent: clean };
}

/** A failure the model should see and can act on (a wrong id), not a protocol error. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Runs a tool body; a known failure (unknown incident, bad status) becomes an error result. */
export async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: string }).code;
    return errorResult(`${code ? `${code}: ` : ''}${(error as Error).message}`);
  }
}
