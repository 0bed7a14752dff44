/**
 * Node-RED embedded in a process of its own (the documented RED.init / RED.start API), serving
 * only the HTTP-in nodes of the benchmark flow on 127.0.0.1; the editor and admin API are off.
 * Started by node-red-bench.ts with its options in BENCH_NODE_RED.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeRedFlows } from './node-red-flow.js';
import { LoopDelayMonitor } from './event-loop-delay.js';

interface NodeRed {
  init(server: unknown, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpNode: (req: unknown, res: unknown) => void;
}

async function main(): Promise<void> {
  const { slackApiUrl, token, userDir } = JSON.parse(process.env.BENCH_NODE_RED ?? '{}') as { slackApiUrl: string; token: string; userDir: string };
  // node-red is an optional devDependency: imported by name only here, at run time.
  const moduleName = 'node-red';
  const imported = (await import(moduleName)) as { default?: NodeRed } & NodeRed;
  const RED = imported.default ?? imported;
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(nodeRedFlows(slackApiUrl, token)));
  const server = createServer((req, res) => RED.httpNode(req, res));
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    httpAdminRoot: false,
    httpNodeRoot: '/',
    credentialSecret: false,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    editorTheme: { tours: false },
    // Nothing may leave 127.0.0.1: no usage ping, no update check, no module installs.
    telemetry: { enabled: false, updateNotification: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  });
  await RED.start();
  // From the package itself: RED.version adds "-git" whenever the tree it sits in is a git checkout.
  const { version } = createRequire(import.meta.url)(`${moduleName}/package.json`) as { version: string };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Flows are started asynchronously after RED.start(): wait until the flow answers.
  let ready = false;
  for (let attempt = 0; attempt < 200 && !ready; attempt++) {
    ready = await fetch(`${url}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (!ready) await sleep(50);
  }
  if (!ready) throw new Error(`Node-RED ${version} started, but its flow did not answer GET /ready within 10 s`);
  const loopDelay = new LoopDelayMonitor();
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message.type === 'close') void RED.stop().finally(() => process.exit(0));
    // The same questions bench/instance.ts answers, so both tools are measured alike.
    if (message.type === 'loop-start') process.send?.({ id: message.id, result: loopDelay.start() });
    if (message.type === 'loop-stop') process.send?.({ id: message.id, result: loopDelay.stop() });
    if (message.type === 'cpu') {
      const used = process.cpuUsage();
      process.send?.({ id: message.id, result: used.user + used.system });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', url, pid: process.pid, version });
}

main().catch((error: Error) => {
  process.stderr.write(`Node-RED failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
