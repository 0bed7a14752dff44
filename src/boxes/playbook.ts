import { z } from 'zod';
import type { BoxContext, BoxResult, BoxType } from './box-type.js';
import type { ChatBlock, ChatButton, PostedMessage } from '../chat/chat.js';
import type { Playbook, PlaybookPage } from '../playbooks/playbook.js';
import { resolveTarget } from './chat-target.js';
import { BoxError } from './box-error.js';
import { checkPlaybookBox } from './check-playbook-box.js';
import { escapeChatText } from '../templates/render.js';
import { back, breadcrumb, choose, findCurrentPage, startPath, type PlaybookPathState } from '../playbooks/playbook-path.js';

const settings = z
  .object({
    /** Playbook id: the file name in playbooks/ without `.md`. */
    playbook: z.string().min(1),
    channel: z.string().default('incident').meta({ template: 'plain' }),
  })
  .strict();

type Settings = z.infer<typeof settings>;

/** Where a responder is in a playbook, how they got there, and the message showing it. Persisted while the box waits. */
interface PlaybookState extends PlaybookPathState {
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
  outputs: ['next'],
  inspect: checkPlaybookBox,
  async run(ctx) {
    const playbook = findPlaybook(ctx);
    const state: PlaybookState = startPath(playbook);
    const channel = await resolveTarget(ctx, ctx.setting('channel'));
    const message = await showPage(ctx, playbook, state);
    state.message = await ctx.services.chat.post(channel, message, `${ctx.idempotencyKey}:post`);
    // Pinned, the playbook stays findable in a busy channel; nice to have, never fatal.
    await ctx.services.chat.pin?.(state.message).catch((error: Error) => ctx.services.log.warn({ err: error.message, incidentId: ctx.incident.id }, 'could not pin the playbook'));
    return { wait: { event: 'resolved', state } };
  },
  async resume(ctx, event): Promise<BoxResult> {
    const playbook = findPlaybook(ctx);
    let state = structuredClone(ctx.state) as PlaybookState;
    if (event.kind === 'incident') return { done: { port: 'next', output: summary(state) } };
    if (event.kind !== 'click') return { wait: { event: 'resolved', state } };
    const page = pageOf(playbook, state.page);
    if (event.choice === 'done') {
      await ctx.timeline({ kind: 'choice', actor: event.userName, text: `Finished playbook ${playbook.title} at "${page.title}"`, data: { playbook: playbook.id, page: page.id, choice: 'done' } });
      if (state.message) await ctx.services.chat.update(state.message, finishedMessage(playbook, page, state, event.userName));
      return { done: { port: 'next', output: summary(state) } };
    }
    if (event.choice === 'back') {
      if (state.path.length === 0) return { wait: { event: 'resolved', state } };
      state = { ...back(state), message: state.message };
      await ctx.timeline({ kind: 'choice', actor: event.userName, text: `Went back to "${pageOf(playbook, state.page).title}"`, data: { playbook: playbook.id, page: state.page, choice: 'back' } });
    } else if (event.choice.startsWith('go:')) {
      const next = choose(state, playbook, event.choice.slice(3), event.userName, ctx.now().toISOString());
      // A button from a page no longer shown (an old copy of the message): ignore it quietly.
      if (!next) return { wait: { event: 'resolved', state } };
      const step = next.path[next.path.length - 1]!;
      state = { ...next, message: state.message };
      await ctx.timeline({
        kind: 'choice',
        actor: event.userName,
        text: `${page.title} → ${step.label}`,
        data: { playbook: playbook.id, page: page.id, choice: step.choice, label: step.label },
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
  // A page gone from an edited playbook falls back to the start rather than failing the box.
  const page = findCurrentPage({ page: id, path: [] }, playbook) ?? playbook.pages[0];
  if (!page) throw new BoxError('PLAYBOOK_EMPTY', `playbook "${playbook.id}" has no pages`);
  return page;
}

/** Renders the current page: breadcrumb, text, filled-in commands (recorded on the timeline), buttons. */
async function showPage(ctx: BoxContext<Settings>, playbook: Playbook, state: PlaybookState) {
  const page = pageOf(playbook, state.page);
  const blocks: ChatBlock[] = [
    { type: 'header', text: `📖 ${playbook.title}` },
    { type: 'context', text: escapeChatText(`📍 ${breadcrumb(state, playbook)}`) },
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

function finishedMessage(playbook: Playbook, _page: PlaybookPage, state: PlaybookState, by: string) {
  const crumbs = breadcrumb(state, playbook);
  return {
    text: `${playbook.title}: finished by ${by}`,
    blocks: [
      { type: 'header', text: `📖 ${playbook.title}` },
      { type: 'context', text: escapeChatText(`Finished by ${by} · path: ${crumbs}`) },
    ] as ChatBlock[],
  };
}

function summary(state: PlaybookState) {
  return { page: state.page, path: state.path };
}
