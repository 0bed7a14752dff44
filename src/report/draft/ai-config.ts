import { z } from 'zod';

/**
 * The optional AI first draft of the report (`ai` in sidekick.yaml, or SIDEKICK_AI_URL,
 * SIDEKICK_AI_KEY, SIDEKICK_AI_MODEL, SIDEKICK_AI_TIMEOUT_MS). Off unless a URL and a model are set.
 */
export const aiConfigSchema = z
  .object({
    /** Any OpenAI-compatible base URL, usually ending in /v1 (Ollama, vLLM, llama.cpp, LiteLLM, a cloud). */
    url: z
      .string()
      .url('ai.url must be a full URL such as http://127.0.0.1:11434/v1')
      .regex(/^https?:\/\//i, 'ai.url must be a full URL such as http://127.0.0.1:11434/v1 (http or https)')
      .optional(),
    /** Sent as `Authorization: Bearer …`; local servers usually accept anything. */
    key: z.string().optional(),
    model: z.string().min(1).optional(),
    /** How long the report waits for the model before it is written without the draft. */
    timeoutMs: z.coerce.number().int().min(100).max(600_000).default(20_000),
    /** Upper bound on the answer's length (tokens). */
    maxTokens: z.coerce.number().int().min(64).max(32_000).default(1500),
    /** Ask for a streamed answer (some proxies only stream). The time limit covers the whole answer. */
    stream: z.boolean().default(false),
  })
  .strict();

export type AiConfig = z.infer<typeof aiConfigSchema> & { enabled: boolean };

/** Reads the `ai` section, filling in the environment variables; `enabled` when a URL and a model are known. */
export function readAiConfig(input: unknown, env: NodeJS.ProcessEnv): AiConfig {
  const section = (input ?? {}) as Record<string, unknown>;
  // `url: ${SIDEKICK_AI_URL}` with the variable unset interpolates to "": that means off, not a bad URL.
  const given = (value: unknown) => (value === '' || value === null ? undefined : value);
  const parsed = aiConfigSchema.parse({
    ...section,
    url: given(section.url) ?? given(env.SIDEKICK_AI_URL),
    key: given(section.key) ?? given(env.SIDEKICK_AI_KEY),
    model: given(section.model) ?? given(env.SIDEKICK_AI_MODEL),
    timeoutMs: given(section.timeoutMs) ?? given(env.SIDEKICK_AI_TIMEOUT_MS),
  });
  return { ...parsed, enabled: Boolean(parsed.url && parsed.model) };
}
