import { describe, expect, it } from 'vitest';
import { readAiConfig } from './ai-config.js';

describe('the ai section', () => {
  it('is off without a URL and a model, including a ${VAR} left empty', () => {
    expect(readAiConfig({}, {}).enabled).toBe(false);
    expect(readAiConfig({ url: '', model: 'llama3.1:8b' }, {}).enabled).toBe(false);
    expect(readAiConfig({}, { SIDEKICK_AI_URL: 'http://127.0.0.1:11434/v1' }).enabled).toBe(false);
  });

  it('reads the environment variables, the file winning', () => {
    const config = readAiConfig({ model: 'from-file' }, { SIDEKICK_AI_URL: 'http://127.0.0.1:11434/v1', SIDEKICK_AI_MODEL: 'from-env', SIDEKICK_AI_KEY: 'k', SIDEKICK_AI_TIMEOUT_MS: '5000' });
    expect(config).toMatchObject({ enabled: true, url: 'http://127.0.0.1:11434/v1', model: 'from-file', key: 'k', timeoutMs: 5000, maxTokens: 1500, stream: false });
  });

  it('refuses a URL that is not one, and a timeout out of bounds', () => {
    expect(() => readAiConfig({ url: 'localhost:11434' }, {})).toThrow(/full URL/);
    expect(() => readAiConfig({}, { SIDEKICK_AI_TIMEOUT_MS: '5' })).toThrow();
  });
});
