import type { SidekickConfig } from '../config/config-sections.js';

/** Key names whose values never reach a log line. */
export const redactionPaths = [
  '*.token',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.appKey',
  '*.clientSecret',
  '*.signingSecret',
  '*.botToken',
  '*.appToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
];

/** Every secret value in the configuration, so reports and logs can redact them exactly. */
export function secretsOf(config: SidekickConfig): string[] {
  const found: string[] = [];
  const visit = (value: unknown, key = '') => {
    if (typeof value === 'string') {
      if (/token|secret|password|apikey|appkey|key$/i.test(key) && value.length >= 6) found.push(value);
      return;
    }
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(config);
  return [...new Set(found)];
}
