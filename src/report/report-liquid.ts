import { Liquid, type FS } from 'liquidjs';
import { SafeMarkdown, escapeInline, escapeMarkdown, fenceCode, indentMarkdown, inlineCode, markdownImage, markdownLink } from './markdown.js';
import { formatDuration } from './timings.js';
import { chatToMarkdown } from './chat-markdown.js';
import { formatClock, formatDateTime } from './format-time.js';

/** Report templates are self-contained: `include` and `render` must not read the disk. */
const NO_FILES: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => {
    throw new Error(`report templates cannot read files (${file}); paste the partial into the template`);
  },
  readFileSync: (file) => {
    throw new Error(`report templates cannot read files (${file}); paste the partial into the template`);
  },
  resolve: (_dir, file) => file,
};

/**
 * The Liquid environment for report templates. Every `{{ output }}` is Markdown-escaped unless a
 * filter below produced safe Markdown or the template says `| raw`, like HTML auto-escaping.
 * `dayOf` is the UTC day the incident started, so `time` shows a date only when it differs.
 */
export function createReportLiquid(dayOf: string): Liquid {
  const liquid = new Liquid({
    fs: NO_FILES,
    relativeReference: false,
    strictFilters: true,
    ownPropertyOnly: true,
    outputEscape: (value: unknown) => escapeMarkdown(value),
    // A user template looping over 5,000 messages is fine; one looping forever is not.
    renderLimit: 20_000,
    parseLimit: 1_000_000,
    memoryLimit: 512 * 1024 * 1024,
  });
  liquid.registerFilter('time', (value: unknown) => formatClock(value, dayOf));
  liquid.registerFilter('datetime', (value: unknown) => formatDateTime(value));
  liquid.registerFilter('duration', (ms: unknown) => formatDuration(typeof ms === 'number' ? ms : undefined));
  liquid.registerFilter('md', (value: unknown) => new SafeMarkdown(escapeMarkdown(value)));
  liquid.registerFilter('inline', (value: unknown) => new SafeMarkdown(escapeInline(value)));
  liquid.registerFilter('indent', (value: unknown, spaces: unknown) => indentMarkdown(value, Number(spaces) || 0));
  liquid.registerFilter('fence', (value: unknown, language: unknown, spaces: unknown) => fenceCode(value, String(language ?? ''), Number(spaces) || 0));
  liquid.registerFilter('code', (value: unknown) => inlineCode(value));
  // Words people wrote in chat, on one line, with the formatting they saw (*bold*, `code`).
  liquid.registerFilter('chat', (value: unknown) => chatToMarkdown(String(value ?? '').replace(/\s*[\r\n]+\s*/g, ' ')));
  liquid.registerFilter('link', (url: unknown, title: unknown) => markdownLink(title ?? url, url));
  liquid.registerFilter('image', (url: unknown, title: unknown) => markdownImage(title ?? '', url));
  return liquid;
}
