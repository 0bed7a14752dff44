import { join, resolve } from 'node:path';
import { z } from 'zod';
import { defineTrackerKind } from '../tracker-kind.js';

/** Markdown files in a folder: the tracker when no other is configured. */
export const markdownTracker = defineTrackerKind({
  name: 'markdown',
  schema: z
    .object({
      /** Defaults to `<SIDEKICK_DATA_DIR>/reports`. */
      dir: z.string().min(1).optional(),
    })
    .strict()
    .default({}),
  env: [],
  // Requires nothing, so never chosen for its settings: it is the fallback when no other tracker is configured.
  requires: [],
  async create(config, deps) {
    const dir = config.dir ? resolve(deps.dataDir, config.dir) : join(deps.dataDir, 'reports');
    const { MarkdownFileTracker } = await import('./markdown-file.js');
    return new MarkdownFileTracker({ dir, publicUrl: deps.publicUrl });
  },
});
