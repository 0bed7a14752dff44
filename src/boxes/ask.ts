import { z } from 'zod';
import type { BoxType } from './box-type.js';
import type { ChatBlock, PostedMessage } from '../chat/chat.js';
import { resolveTarget } from './chat-target.js';
import { escapeChatText } from '../templates/render.js';

const choiceSchema = z
  .object({
    /** The output name arrows leave from. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'a choice id uses letters, digits, - and _'),
    label: z.string().min(1).max(75, 'a button label is at most 75 characters (Slack)'),
  })
  .strict();

const settings = z
  .object({
    question: z.string().min(1).meta({ template: 'text' }),
    choices: z.array(choiceSchema).min(1).max(25, 'at most 25 choices'),
    channel: z.string().default('incident').meta({ template: 'plain' }),
  })
  .strict();

type Settings = z.infer<typeof settings>;

interface AskState {
  message: PostedMessage;
}

/** Asks a question with buttons; each choice is an output with its own arrows. */
export const askBox: BoxType<Settings> = {
  type: 'ask',
  title: 'Ask',
  description: 'Asks a question with buttons; the run continues along the arrow of the chosen answer.',
  settings,
  outputs: [{ eachOf: 'choices', key: 'id' }],
  produces: ['choice', 'label', 'by'],
  inspect({ box, arrows, outputs }) {
    const wired = new Set(arrows.map((arrow) => arrow.output));
    return outputs
      .filter((output) => !wired.has(output))
      .map((output) => ({ code: 'FLOW_CHOICE_WITHOUT_ARROW', message: `choice "${output}" of box "${box.id}" leads nowhere; the run ends there`, severity: 'warning' as const }));
  },
  async run(ctx) {
    const question = ctx.setting('question');
    const blocks: ChatBlock[] = [
      { type: 'text', text: question },
      {
        type: 'buttons',
        buttons: ctx.settings.choices.map((choice) => ({ label: choice.label, value: ctx.buttonValue(choice.id) })),
      },
    ];
    const channel = await resolveTarget(ctx, ctx.setting('channel'));
    const message = await ctx.services.chat.post(channel, { text: question, blocks }, ctx.idempotencyKey);
    return { wait: { state: { message } satisfies AskState } };
  },
  async resume(ctx, event) {
    const state = ctx.state as AskState;
    const choice = event.kind === 'click' ? ctx.settings.choices.find((c) => c.id === event.choice) : undefined;
    if (!choice || event.kind !== 'click') return { wait: { state } };
    const question = ctx.setting('question');
    await ctx.services.chat.update(state.message, {
      text: `${question} — ${choice.label}`,
      blocks: [
        { type: 'text', text: question },
        { type: 'context', text: `✔ *${escapeChatText(choice.label)}* — chosen by ${escapeChatText(event.userName)}` },
      ],
    });
    await ctx.timeline({
      kind: 'choice',
      actor: event.userName,
      text: `${question} → ${choice.label}`,
      data: { box: ctx.box.id, choice: choice.id, label: choice.label },
    });
    return { done: { port: choice.id, output: { choice: choice.id, label: choice.label, by: event.userName } } };
  },
};
