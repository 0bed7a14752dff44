import type { IncidentCommands } from './incident-commands.js';
import { parseSlashCommand, SLASH_HELP } from './parse-slash-command.js';
import { escapeChatText } from './chat-text.js';
import type { Person } from '../people/user.js';
import { roleLabel } from '../incidents/roles.js';

/** Who typed the command and where. */
export interface SlashContext {
  text: string;
  channelId: string;
  userId: string;
  /** The name to put on the timeline. */
  actor: string;
  /** Where it was typed, for the timeline (`Slack`, `the room`). */
  via?: string;
  /** Finds the person a typed `@name` means (a room account); Slack mentions carry their id. */
  findPerson?: (name: string) => Promise<Person | undefined>;
}

/**
 * Runs one `/sidekick` command and returns the ephemeral reply, in plain words. Failures of the
 * incident service come back as a reply too: the person typing gets an answer, never a 500.
 */
export async function runSlashCommand(commands: IncidentCommands, context: SlashContext): Promise<string> {
  const command = parseSlashCommand(context.text);
  if (command.kind === 'help') return SLASH_HELP;
  if (command.kind === 'invalid') return command.problem;
  try {
    if (command.kind === 'declare') {
      const incident = await commands.declare({ title: command.title, actor: context.actor, channel: context.channelId });
      return `Declared *INC-${incident.number}*: ${escapeChatText(incident.title)}. The flows for declared incidents are starting.`;
    }
    const incident = await commands.findByChannel(context.channelId);
    if (!incident) return 'This channel is not an incident channel. Run the command in the incident’s channel, or start one with `/sidekick declare <title>`.';
    const label = `*INC-${incident.number}*`;
    switch (command.kind) {
      case 'status':
        await commands.setStatus(incident.id, command.status, context.actor);
        return `${label} is now *${command.status}*.`;
      case 'severity':
        await commands.setSeverity(incident.id, command.severity, context.actor);
        return `${label} severity is now *${command.severity}*.`;
      case 'update':
        await commands.postUpdate(incident.id, command.text, context.actor);
        return `Update posted for ${label}.`;
      case 'ack': {
        const { already, incident: acked } = await commands.acknowledge(incident.id, { userId: context.userId, name: context.actor }, context.via ?? 'Slack');
        return already ? `${label} was acknowledged already by ${escapeChatText(acked.acknowledgedBy ?? 'someone')}.` : `You acknowledged ${label}.`;
      }
      case 'role': {
        const me = { userId: context.userId, name: context.actor };
        const holder =
          command.holder.kind === 'me'
            ? me
            : command.holder.kind === 'none'
              ? undefined
              : command.holder.userId
                ? { userId: command.holder.userId, name: command.holder.name }
                : ((await context.findPerson?.(command.holder.name)) ?? { userId: `name:${command.holder.name}`, name: command.holder.name });
        await commands.assignRole(incident.id, command.role, holder, context.actor);
        return holder ? `${escapeChatText(holder.name)} is now the ${roleLabel(command.role)} of ${label}.` : `${label} has no ${roleLabel(command.role)} now.`;
      }
      case 'followup': {
        const followUp = await commands.addFollowUp(incident.id, { text: command.text, owner: command.owner, actor: context.actor });
        const owner = followUp.owner ? ` (owner: ${escapeChatText(followUp.owner.name)})` : '';
        return `Follow-up added to ${label}${owner}: ${escapeChatText(followUp.text)}. It is filed with the report.`;
      }
      case 'moment': {
        const moment = await commands.markMoment(incident.id, { kind: command.moment, text: command.text, markedBy: context.actor });
        return `${moment.kind === 'decision' ? 'Decision' : 'Key moment'} recorded for ${label}: ${escapeChatText(moment.text)}`;
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `That did not work${typeof code === 'string' ? ` (${escapeChatText(code).slice(0, 60)})` : ''}. Try again in a moment; if it keeps failing, tell whoever runs Sidekick.`;
  }
}
