import { performance } from 'node:perf_hooks';
import { FakeSlack } from '../test/fakes/slack/fake-slack.js';

/** The Slack fake of the tests, as the comparison's chat: rate limit off, one channel per alert. */
export interface SlackSink {
  /** Web API base, ending in `/`. */
  apiUrl: string;
  token: string;
  /** Message number (the `#<n>` in its text) → performance.now() when the fake stored it. */
  arrivals: Map<number, number>;
  /** Every message stored, by channel name: what each tool posted where. */
  messages: { channel: string; text: string }[];
  close(): Promise<void>;
}

/** Channel `#bench-<n>` receives the post of alert n. */
export const benchChannel = (seq: number) => `bench-${seq}`;

/**
 * Starts the fake with channels bench-0 … bench-(channels − 1) (the bot a member of each) and
 * pacing off: each alert posts to a channel of its own, so Slack's per-channel limit of about one
 * message per second never binds and what is measured is each tool's own cost.
 */
export async function startSlackSink(channels: number): Promise<SlackSink> {
  const slack = new FakeSlack();
  slack.setPostRate(1e9, 1e9);
  for (let i = 0; i < channels; i++) slack.workspace.addChannel(benchChannel(i));
  const arrivals = new Map<number, number>();
  const messages: { channel: string; text: string }[] = [];
  // Noted where the fake stores a message: the moment a real post would be visible in Slack.
  const addMessage = slack.workspace.addMessage.bind(slack.workspace);
  slack.workspace.addMessage = (channel, message) => {
    const stored = addMessage(channel, message);
    messages.push({ channel: channel.name, text: message.text ?? '' });
    const number = /#(\d+)\)/.exec(message.text ?? '')?.[1];
    if (number !== undefined && !arrivals.has(Number(number))) arrivals.set(Number(number), performance.now());
    return stored;
  };
  await slack.start();
  return { apiUrl: slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/`, token: slack.token, arrivals, messages, close: () => slack.close() };
}
