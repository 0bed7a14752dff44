import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

/** `sidekick fire <source> <file>`: posts a payload to a running Sidekick, as the monitor would. */
export function registerFireCommand(program: Command) {
  program
    .command('fire <source> <file>')
    .description('post an alert payload to a running Sidekick (POST /webhooks/<source>)')
    .option('-u, --url <url>', 'Sidekick\u2019s address', process.env.SIDEKICK_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`)
    .option('-H, --header <header...>', 'extra headers, "Name: value" (credentials for the source)')
    .action(async (source: string, file: string, options: { url: string; header?: string[] }) => {
      const body = await readFile(file);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const header of options.header ?? []) {
        const at = header.indexOf(':');
        if (at > 0) headers[header.slice(0, at).trim()] = header.slice(at + 1).trim();
      }
      const response = await fetch(`${options.url.replace(/\/$/, '')}/webhooks/${encodeURIComponent(source)}`, { method: 'POST', headers, body });
      const text = await response.text();
      process.stdout.write(`${response.status} ${text}\n`);
      process.exitCode = response.ok ? 0 : 1;
    });
}
