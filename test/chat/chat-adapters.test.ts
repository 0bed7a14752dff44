import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ChatAdapter } from '../../src/chat/chat.js';
import type { ChatAdapterDeps } from '../../src/chat/chat-adapter-entry.js';
import { loadConfig } from '../../src/config/load-config.js';
import { parseFlow } from '../../src/flows/parse-flow.js';
import { createProviders } from '../../src/runtime/create-providers.js';
import { createStore } from '../../src/store/create-store.js';
import { FakeClock } from '../../src/util/clock.js';
import { LiveEvents } from '../../src/util/live-events.js';

/** What the fake adapter saw: the section it was built from, and the calls the runtime made. */
const seen = vi.hoisted(() => ({ created: [] as { config: unknown; deps: ChatAdapterDeps }[], connected: 0, routes: 0, closed: 0 }));

// One more entry in the registry, and nothing else: the config section, the default adapter, the
// names flows may use and the providers must all follow from it.
vi.mock('../../src/chat/adapters.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/chat/adapters.js')>();
  const { z } = await import('zod');
  const { defineChatAdapter } = await import('../../src/chat/chat-adapter-entry.js');
  const schema = z.object({ token: z.string().min(1).optional(), greeting: z.string().default('hello') }).strict();
  const fakeAdapter = defineChatAdapter({
    name: 'pigeon',
    readConfig: (input, env) => schema.parse({ ...(env.PIGEON_TOKEN ? { token: env.PIGEON_TOKEN } : {}), ...(input as object) }),
    isConfigured: (config) => Boolean(config.token),
    async create(config, deps) {
      seen.created.push({ config, deps });
      const chat = { name: 'pigeon' } as ChatAdapter;
      return {
        chat,
        connect: () => void seen.connected++,
        registerRoutes: () => void seen.routes++,
        close: async () => void seen.closed++,
      };
    },
  });
  const CHAT_ADAPTERS = [...real.CHAT_ADAPTERS, fakeAdapter] as const;
  return { ...real, CHAT_ADAPTERS, CHAT_NAMES: ['room', ...CHAT_ADAPTERS.map((adapter) => adapter.name)] };
});

const dir = mkdtempSync(join(tmpdir(), 'sidekick-chat-adapters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFrom(yaml: string, env: Record<string, string> = {}) {
  writeFileSync(join(dir, 'sidekick.yaml'), yaml);
  return loadConfig({ cwd: dir, env: { SIDEKICK_DATA_DIR: join(dir, 'data'), ...env } });
}

describe('the chat adapter registry is the one place an adapter is named', () => {
  it('reads the registered adapter’s section and its variables, and makes it the default when configured', () => {
    const config = configFrom('pigeon:\n  greeting: coo\n', { PIGEON_TOKEN: 'p-1' }) as unknown as Record<string, unknown> & ReturnType<typeof loadConfig>;
    expect(config.pigeon).toEqual({ token: 'p-1', greeting: 'coo' });
    expect(config.chat.adapter).toBe('pigeon');
    // The built-in adapters' sections are still read as before.
    expect(config.slack.botToken).toBeUndefined();
    expect(config.teams.graphUrl).toBe('https://graph.microsoft.com/v1.0');
  });

  it('reports a bad section with the file, line and key', () => {
    expect(() => configFrom('server:\n  port: 3000\npigeon:\n  token: p-1\n  greeting: 5\n')).toThrow(/sidekick\.yaml:5 pigeon\.greeting: /);
    expect(() => configFrom('server:\n  port: 3000\npigeon:\n  wings: 2\n')).toThrow(/sidekick\.yaml:4 pigeon: .*"wings"/);
  });

  it('accepts its name in chat.adapter and on a flow, and nothing unregistered', () => {
    expect(configFrom('chat:\n  adapter: pigeon\n').chat.adapter).toBe('pigeon');
    expect(() => configFrom('chat:\n  adapter: carrier\n')).toThrow(/sidekick\.yaml:2 chat\.adapter/);
    const flow = (chat: string) => parseFlow(`id: f\ntrigger: { on: alert }\nchat: ${chat}\nboxes:\n  - id: hi\n    type: post\n    text: hi\n`, 'f.yaml');
    expect(flow('pigeon').problems).toEqual([]);
    expect(flow('carrier').problems.length).toBeGreaterThan(0);
  });

  /** The providers a runtime would create from `config`, on the embedded defaults otherwise. */
  const providersFor = (config: Parameters<typeof createProviders>[0], store: Parameters<typeof createProviders>[1]['store']) =>
    createProviders(config, {
      store,
      clock: new FakeClock('2026-01-01T00:00:00.000Z'),
      log: pino({ level: 'silent' }),
      live: new LiveEvents(),
      publicUrl: 'http://127.0.0.1:3000',
      dataDir: join(dir, 'data'),
      signingSecret: 'secret',
      overrides: {},
    });

  it('creates it beside the room, as the default, and wires it in', async () => {
    seen.created.length = 0;
    const config = configFrom('pigeon:\n  greeting: coo\n', { PIGEON_TOKEN: 'p-1' });
    const store = await createStore({ dataDir: ':memory:' });
    try {
      const providers = await providersFor(config, store);
      expect(seen.created).toHaveLength(1);
      expect(seen.created[0]!.config).toEqual({ token: 'p-1', greeting: 'coo' });
      expect(seen.created[0]!.deps.publicUrl).toBe('http://127.0.0.1:3000');
      expect(providers.chat.name).toBe('pigeon');
      expect(Object.keys(providers.chats!).sort()).toEqual(['pigeon', 'room']);
      await providers.connectInbound?.({ onClick: async () => {}, onMessage: async () => {} }, {} as never);
      await providers.registerRoutes?.({} as never);
      await providers.close?.();
      expect([seen.connected, seen.routes, seen.closed]).toEqual([1, 1, 1]);
    } finally {
      await store.close();
    }
  });

  it('leaves an adapter that is neither configured nor the default uncreated', async () => {
    seen.created.length = 0;
    const config = configFrom('chat:\n  adapter: room\n');
    const store = await createStore({ dataDir: ':memory:' });
    try {
      const providers = await providersFor(config, store);
      expect(seen.created).toHaveLength(0);
      expect(Object.keys(providers.chats!)).toEqual(['room']);
      expect(providers.chat.name).toBe('room');
    } finally {
      await store.close();
    }
  });
});
