import { z } from 'zod';
import type { BoxContext, BoxResult, BoxType } from './box-type.js';
import type { ChatBlock, ChatButton, PostedMessage } from '../chat/chat.js';
import type { Playbook, PlaybookPage } from '../playbooks/playbook.js';
import { resolveTarget } from './chat-target.js';
import { BoxError } from './box-error.js';

const settings = z
  .object({
    /** Playbook id: the file name in playbooks/ without `.md`. */
    playbook: z.string().min(1),
    channel: z.string().default('incident'),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Where a responder is in a playbook and how they got there. Persisted while the box waits. */
interface PlaybookState {
  page: string;
  path: { page: string; to: string; label: string; by: string; at: string }[];
  message?: PostedMessage;
}

/**
 * Shows a playbook page by page. Navigation edits the message in place (`update`) so the channel
 * stays quiet; every choice, with who made it, lands on the timeline, and the breadcrumb on the
 * message shows where you are. The box leaves by `next` when someone presses Done or the incident
 * resolves.
 */
export const playbookBox: BoxType<Settings> = {
  type: 'playbook',
  title: 'Playbook',
  description: 'Shows a Markdown playbook page by page with buttons; commands are filled from the alert and shell-quoted.',
  settings,
  outputs: () => ['next'],
  templates: { channel: 'plain' },
  async run(ctx) {
    const playbook = findPlaybook(ctx);
    const state: PlaybookState = { page: playbook.startPage, path: [] };
    const channel = await resolveTarget(ctx, ctx.setting('channel'));
    const message = await showPage(ctx, playbook, state);
    state.message = await ctx.services.chat.post(channel, message, `${ctx.idempotencyKey}:post`);
    return { wait: { event: 'resolved', state } };
  },
  async resume(ctx, event): Promise<BoxResult> {
    const playbook = findPlaybook(ctx);
    const state = structuredClone(ctx.state) as PlaybookState;
    if (event.kind === 'incident') return { done: { port: 'next', output: summary(state) } };
    if (event.kind !== 'click') return { wait: { event: 'resolved', state } };
    const page = pageOf(playbook, state.page);
    if (event.choice === 'done') {
      await ctx.timeline({ kind: 'choice', actor: event.userName, text: `Finished playbook ${playbook.title} at "${page.title}"`, data: { playbook: playbook.id, page: page.id, choice: 'done' } });
      if (state.message) await ctx.services.chat.update(state.message, finishedMessage(playbook, page, state, event.userName));
      return { done: { port: 'next', output: summary(state) } };
    }
    if (event.choice === 'back') {
      const last = state.path.pop();
      if (!last) return { wait: { event: 'resolved', state } };
      state.page = last.page;
      await ctx.timeline({ kind: 'choice', actor: event.userName, text: `Went back to "${pageOf(playbook, last.page).title}"`, data: { playbook: playbook.id, page: last.page, choice: 'back' } });
    } else if (event.choice.startsWith('go:')) {
      const to = event.choice.slice(3);
      const choice = page.choices.find((candidate) => candidate.to === to);
      // A button from a page no longer shown (an old copy of the message): ignore it quietly.
      if (!choice) return { wait: { event: 'resolved', state } };
      state.path.push({ page: page.id, to, label: choice.label, by: event.userName, at: ctx.now().toISOString() });
      state.page = to;
      await ctx.timeline({
        kind: 'choice',
        actor: event.userName,
        text: `${page.title} → ${choice.label}`,
        data: { playbook: playbook.id, page: page.id, choice: to, label: choice.label },
      });
    }
    const message = await showPage(ctx, playbook, state);
    if (state.message) await ctx.services.chat.update(state.message, message);
    return { wait: { event: 'resolved', state } };
  },
};

function findPlaybook(ctx: BoxContext<Settings>): Playbook {
  const playbook = ctx.services.playbooks.get(ctx.settings.playbook);
  if (!playbook) throw new BoxError('PLAYBOOK_NOT_FOUND', `playbook "${ctx.settings.playbook}" is not in playbooks/`);
  return playbook;
}

function pageOf(playbook: Playbook, id: string): PlaybookPage {
  const page = playbook.pages.find((candidate) => candidate.id === id) ?? playbook.pages[0];
  if (!page) throw new BoxError('PLAYBOOK_EMPTY', `playbook "${playbook.id}" has no pages`);
  return page;
}

/** Renders the current page: breadcrumb, text, filled-in commands (recorded on the timeline), buttons. */
async function showPage(ctx: BoxContext<Settings>, playbook: Playbook, state: PlaybookState) {
  const page = pageOf(playbook, state.page);
  const crumbs = [...state.path.map((step) => pageOf(playbook, step.page).title), page.title];
  const blocks: ChatBlock[] = [
    { type: 'header', text: `📖 ${playbook.title}` },
    { type: 'context', text: escapeText(crumbs.join(' › ')) },
  ];
  for (const content of page.content) {
    if (content.kind === 'text') {
      blocks.push({ type: 'text', text: ctx.render(content.text, 'text').text });
      continue;
    }
    const rendered = ctx.render(content.template, 'shell');
    blocks.push({ type: 'code', text: rendered.text, sources: rendered.sources });
    await ctx.timeline({
      kind: 'command',
      actor: 'sidekick',
      text: rendered.text,
      data: { playbook: playbook.id, page: page.id, sources: rendered.sources, missing: rendered.missing },
    });
  }
  const buttons: ChatButton[] = page.choices.map((choice) => ({ label: choice.label, value: ctx.buttonValue(`go:${choice.to}`) }));
  if (state.path.length > 0) buttons.push({ label: '← Back', value: ctx.buttonValue('back') });
  buttons.push({ label: 'Done', value: ctx.buttonValue('done'), style: 'primary' });
  blocks.push({ type: 'buttons', buttons });
  return { text: `${playbook.title}: ${page.title}`, blocks };
}

function finishedMessage(playbook: Playbook, page: PlaybookPage, state: PlaybookState, by: string) {
  const crumbs = [...state.path.map((step) => pageOf(playbook, step.page).title), page.title].join(' › ');
  return {
    text: `${playbook.title}: finished by ${by}`,
    blocks: [
      { type: 'header', text: `📖 ${playbook.title}` },
      { type: 'context', text: escapeText(`Finished by ${by} · path: ${crumbs}`) },
    ] as ChatBlock[],
  };
}

function summary(state: PlaybookState) {
  return { page: state.page, path: state.path };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
