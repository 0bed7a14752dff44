import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.js';
import { dropSchema, prepareInstances, startInstance, stopInstance, uniqueSchema, type FaultSetup, type Instance } from './fault-kit.js';

/** A fake Slack and one Sidekick instance using it as the chat, on a schema of its own. */
export interface SlackInstance {
  fake: FakeSlack;
  setup: FaultSetup;
  instance: Instance;
  /** Stops the instance and the fake, drops the schema and removes the config folder. */
  stop(): Promise<void>;
}

/**
 * Starts a fake Slack (with `channels`), then one instance with Slack as its chat and `flows`,
 * retrying Slack for `retryForSeconds`; `extraYaml` adds to its config and `env` to the Slack credentials.
 */
export async function startSlackInstance(options: {
  schemaPrefix: string;
  flows: Record<string, string>;
  channels: string[];
  retryForSeconds: number;
  botToken: string;
  signingSecret: string;
  env?: Record<string, string>;
  /** More `sidekick.yaml`, appended. */
  extraYaml?: string;
}): Promise<SlackInstance> {
  const fake = await startFakeSlack({ token: options.botToken });
  for (const channel of options.channels) fake.workspace.addChannel(channel);
  const setup = prepareInstances({
    schema: uniqueSchema(options.schemaPrefix),
    flows: options.flows,
    extraYaml: `chat: { adapter: slack }\nslack: { retryForSeconds: ${options.retryForSeconds} }\n${options.extraYaml ?? ''}`,
  });
  const instance = await startInstance(setup.configPath, {
    SLACK_BOT_TOKEN: options.botToken,
    SLACK_SIGNING_SECRET: options.signingSecret,
    SLACK_API_URL: fake.apiUrl,
    ...options.env,
  });
  return {
    fake,
    setup,
    instance,
    async stop() {
      await stopInstance(instance, 'SIGTERM');
      await fake.close();
      await dropSchema(setup.schema);
      setup.remove();
    },
  };
}
