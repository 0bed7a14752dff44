import { resolve } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig } from '../../config/load-config.js';
import { createStore } from '../../store/create-store.js';
import { replayDeadLetter } from '../../alerts/dead-letters.js';
import type { AlertsConfig } from '../../alerts/alerts-config.js';

/** `sidekick alerts dead|replay`: payloads that could not be read, kept with the reason, and their replay. */
export function registerAlertsCommand(program: Command) {
  const alerts = program.command('alerts').description('the alert inbox');
  const withStore = async <T>(fn: (store: Awaited<ReturnType<typeof createStore>>, config: ReturnType<typeof loadConfig>) => Promise<T>) => {
    const config = loadConfig({ path: program.opts().config });
    const store = await createStore({ databaseUrl: config.databaseUrl, dataDir: resolve(config.configDir, config.dataDir), schema: config.databaseSchema });
    try {
      return await fn(store, config);
    } finally {
      await store.close();
    }
  };
  alerts
    .command('dead')
    .description('list payloads that could not be parsed or mapped, with the reason')
    .option('-n, --limit <n>', 'how many', '50')
    .action((options: { limit: string }) =>
      withStore(async (store) => {
        const letters = await store.listDeadLetters(Number(options.limit));
        for (const letter of letters) {
          process.stdout.write(`${letter.id}  ${letter.receivedAt}  ${letter.source}  ${letter.reason}  (${letter.body.length} bytes)\n`);
        }
        if (letters.length === 0) process.stdout.write('no dead letters\n');
      }),
    );
  alerts
    .command('replay <id>')
    .description('parse a dead letter again with the current configuration (after fixing a mapping)')
    .action((id: string) =>
      withStore(async (store, config) => {
        const result = await replayDeadLetter(id, {
          store,
          config: config.alerts as unknown as AlertsConfig,
          now: () => new Date(),
          newId: () => crypto.randomUUID(),
          log: pino({ level: 'warn' }),
        });
        process.stdout.write(`${JSON.stringify(result)}\n`);
      }),
    );
}
