import { z } from 'zod';
import type { CoreConfig } from './config-schema.js';

/**
 * The integration sections of sidekick.yaml, each validated by its own folder's schema.
 * A new integration adds its section here.
 */
export const configSections = {
  alerts: z.object({}).passthrough(),
  slack: z.object({}).passthrough(),
  meetings: z.object({}).passthrough(),
  tracker: z.object({}).passthrough(),
  graphs: z.object({}).passthrough(),
};

type Sections = { [K in keyof typeof configSections]: z.infer<(typeof configSections)[K]> };

export type SidekickConfig = CoreConfig & Sections & { configDir: string };
