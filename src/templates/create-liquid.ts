import { Liquid, Tag, type TagToken, type TopLevelToken } from 'liquidjs';
import { registerTemplateFilters } from './template-filters.js';

/** Caps that keep a hostile template or payload from hanging or bloating the process. */
export const TEMPLATE_LIMITS = {
  /** Characters of output; a longer command fails, longer text is cut with a marker. */
  maxOutputChars: 100_000,
  /** Milliseconds one render may take (Liquid checks between nodes, so loops stop). */
  renderMs: 1_000,
  /**
   * Liquid's allocation budget per render: string and array sizes made by filters and ranges. It
   * also caps ranges, which Liquid builds in one go before any time check: `(1..10000000)` takes
   * about 0.1 s on an idle machine (measured 5 s on a contended 2-core one).
   */
  memoryUnits: 10_000_000,
  /** Characters of template source. */
  parseChars: 1_000_000,
  /** Parsed templates kept in memory. */
  cachedTemplates: 500,
} as const;

/**
 * Tags that are not available and why. Templates are text, never files: no partials or layouts.
 * `cycle` and `tablerow` write their values straight out, past the escaping every output gets.
 */
export const FORBIDDEN_TAGS: Record<string, string> = {
  include: 'templates cannot read other files',
  render: 'templates cannot read other files',
  layout: 'templates cannot read other files',
  block: 'templates have no layouts',
  cycle: 'its values would skip escaping; use an if on forloop.index',
  tablerow: 'it writes HTML tables, which chat cannot show; use for',
};

/**
 * A Liquid instance for user-written templates: strict filters, no file access, no prototype
 * properties, UTC dates, Sidekick's filters, and render limits.
 */
export function createLiquid(): Liquid {
  const liquid = new Liquid({
    strictFilters: true,
    strictVariables: false,
    // `{{ alert.raw.constructor }}` must not reach into JavaScript objects.
    ownPropertyOnly: true,
    // An empty in-memory file map: even if a file tag slipped through, there is nothing to read.
    templates: {},
    dynamicPartials: false,
    timezoneOffset: 0,
    locale: 'en-US',
    parseLimit: TEMPLATE_LIMITS.parseChars,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memoryUnits,
  });
  for (const [name, why] of Object.entries(FORBIDDEN_TAGS)) liquid.registerTag(name, forbidTag(name, why));
  registerTemplateFilters(liquid);
  return liquid;
}

function forbidTag(name: string, why: string) {
  return class ForbiddenTag extends Tag {
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      throw new Error(`the {% ${name} %} tag is not available: ${why}`);
    }
    render(): void {}
  };
}
