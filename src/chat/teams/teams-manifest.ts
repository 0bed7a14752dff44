import { createHash } from 'node:crypto';
import { colorIcon, outlineIcon } from './teams-icons.js';
import { writeZip } from './write-zip.js';

/** The manifest schema Teams documents as current (integrations-2.md §1.10). */
export const MANIFEST_VERSION = '1.22';
const ACCENT = '#D9480F';

export interface TeamsManifestOptions {
  /** TEAMS_APP_ID: the bot's Entra application (client) id. */
  appId: string;
  /** Where Sidekick is reached; its host goes into validDomains. */
  publicUrl: string;
  /** The Teams app id; by default derived from the bot id so a re-upload updates the same app. */
  id?: string;
  version?: string;
}

/** The app manifest: a bot for teams, chats and personal scope, with the RSC permissions Sidekick uses. */
export function renderTeamsManifest(options: TeamsManifestOptions): Record<string, unknown> {
  const host = new URL(options.publicUrl).host;
  const commands = [
    ['declare', 'Open an incident: declare <title>'],
    ['status', 'In an incident channel: status <investigating|mitigated|resolved>'],
    ['severity', 'In an incident channel: severity <level>'],
    ['update', 'A stakeholder update: update <text>'],
    ['help', 'What Sidekick can do'],
  ].map(([title, description]) => ({ title, description }));
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: options.version ?? '1.0.0',
    id: options.id ?? stableGuid(options.appId),
    developer: { name: 'Sidekick', websiteUrl: options.publicUrl, privacyUrl: options.publicUrl, termsOfUseUrl: options.publicUrl },
    name: { short: 'Sidekick', full: 'Sidekick incident assistant' },
    description: {
      short: 'Incident channels, meetings, playbooks and reports from your alerts',
      full: 'Sidekick turns alerts into incidents: a channel per incident, a meeting, notices to the teams that depend on the failing service, the playbook with its commands filled in, reminders to breathe, and the report when it is over.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT,
    bots: [
      {
        botId: options.appId,
        scopes: ['team', 'personal', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['team', 'groupChat', 'personal'], commands }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [host],
    webApplicationInfo: { id: options.appId, resource: `api://${host}/${options.appId}` },
    authorization: {
      permissions: {
        resourceSpecific: [
          // Every channel message reaches the bot without an @mention (the live timeline), and Graph may read them (the report).
          { name: 'ChannelMessage.Read.Group', type: 'Application' },
          { name: 'Channel.Create.Group', type: 'Application' },
          // The incident channel's description names the incident commander and communications lead.
          { name: 'ChannelSettings.ReadWrite.Group', type: 'Application' },
        ],
      },
    },
  };
}

/** The app package for "Upload a custom app": manifest.json and the two icons at the root of a zip. */
export function buildTeamsAppPackage(options: TeamsManifestOptions): Buffer {
  return writeZip([
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(renderTeamsManifest(options), null, 2)) },
    { name: 'color.png', data: colorIcon(ACCENT) },
    { name: 'outline.png', data: outlineIcon() },
  ]);
}

/** A GUID derived from the bot id (name-based, like UUID v5), stable across runs. */
function stableGuid(seed: string): string {
  const hex = createHash('sha1').update(`sidekick-teams-app:${seed}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
