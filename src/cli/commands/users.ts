import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { createStore } from '../../store/create-store.js';
import { addLocalUser, changePassword, removeUser } from '../../people/manage-users.js';

/** `sidekick users add|passwd|list|remove`: the local accounts of the web UI. */
export function registerUsersCommand(program: Command) {
  const users = program.command('users').description('local accounts for the web UI (passwords hashed with argon2id)');
  const withStore = async (fn: (store: Awaited<ReturnType<typeof createStore>>) => Promise<void>) => {
    const config = loadConfig({ path: program.opts().config });
    const store = await createStore({ databaseUrl: config.databaseUrl, dataDir: resolve(config.configDir, config.dataDir), schema: config.databaseSchema });
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };
  users
    .command('add <name>')
    .description('add an account; the password is asked for (or read from standard input when piped)')
    .option('--display-name <text>', 'the name shown in the room and the reports (default: the login name)')
    .action((name: string, options: { displayName?: string }) =>
      withStore(async (store) => {
        const password = await readPassword('Password for ' + name);
        const user = await addLocalUser(store, { login: name, password, displayName: options.displayName, now: new Date().toISOString() });
        process.stdout.write(`added ${user.login} (${user.displayName}); a running Sidekick that had no login needs a restart to require one\n`);
      }),
    );
  users
    .command('passwd <name>')
    .description("set an account's password; its sessions end")
    .action((name: string) =>
      withStore(async (store) => {
        await changePassword(store, name, await readPassword('New password for ' + name), new Date().toISOString());
        process.stdout.write(`password changed for ${name}\n`);
      }),
    );
  users
    .command('list')
    .description('list the accounts')
    .action(() =>
      withStore(async (store) => {
        const list = await store.listUsers();
        for (const user of list) process.stdout.write(`${user.login}\t${user.displayName}\t${user.oidc ? `sso (${user.oidc.issuer})` : 'local'}\t${user.createdAt}\n`);
        if (list.length === 0) process.stdout.write('no accounts\n');
      }),
    );
  users
    .command('remove <name>')
    .description('remove an account; its sessions end')
    .action((name: string) =>
      withStore(async (store) => {
        const user = await removeUser(store, name);
        process.stdout.write(`removed ${user.login}\n`);
      }),
    );
}

/** Asks twice without echo on a terminal; reads the first line of standard input otherwise (scripts). */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    return input.split(/\r?\n/)[0] ?? '';
  }
  const first = await askHidden(`${prompt}: `);
  const second = await askHidden('Again: ');
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

function askHidden(question: string): Promise<string> {
  return new Promise((done) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      // Echo the prompt, never the typed characters.
      if (s.startsWith(question)) write.call(rl, question);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      done(answer);
    });
  });
}
