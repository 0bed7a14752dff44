/** Set by the bundler (tools/bundle-server.mjs): a hash of the sources and dependencies built. */
declare const SIDEKICK_BUILD_ID: string | undefined;

/** The running bundle's build id; undefined when running from the sources (tests, `npm run dev`). */
export function buildId(): string | undefined {
  return typeof SIDEKICK_BUILD_ID === 'string' ? SIDEKICK_BUILD_ID : undefined;
}
