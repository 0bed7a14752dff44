/** Starting points for new flows. Each is a YAML text with comments that explain the parts. */

export interface FlowTemplate {
  key: string;
  title: string;
  description: string;
  yaml(id: string, name: string): string;
}

const quote = (text: string) => JSON.stringify(text);
// A name with a line break must not end the comment and start YAML of its own.
const comment = (text: string) => text.replace(/[\r\n\u2028\u2029]+/g, ' ');
/** The lines every flow opens with, up to its trigger's `on:`. */
const heading = (id: string, name: string) => `# ${comment(name)}\nid: ${id}\nname: ${quote(name)}\ntrigger:`;

export const FLOW_TEMPLATES: FlowTemplate[] = [
  {
    key: 'page-team',
    title: 'Meeting, team post, breather',
    description: 'On an alert: open a meeting, post it to the team channel, wait a minute, remind responders to breathe.',
    yaml: (id, name) => `${heading(id, name)}
  on: alert
boxes:
  - id: meeting
    type: meeting
    next: tell-team
  - id: tell-team
    type: post
    channel: "#team"
    text: "*{{ incident.title }}* ({{ incident.severity }}): join the meeting {{ boxes.meeting.join_url }}"
    next: breathe
  - id: breathe
    type: wait
    duration: 1m
    next: hydrate
  - id: hydrate
    type: direct-message
    text: Take a deep breath and drink some water. You've got this.
`,
  },
  {
    key: 'playbook',
    title: 'Playbook for an alert',
    description: 'On matching alerts: post a short note, then walk responders through a playbook.',
    yaml: (id, name) => `${heading(id, name)}
  on: alert
  match:
    title: "*replication*"
boxes:
  - id: on-it
    type: post
    text: "On it: {{ alert.title }}"
    next: playbook
  - id: playbook
    type: playbook
    playbook: mysql-replication
`,
  },
  {
    key: 'report',
    title: 'Report when resolved',
    description: 'When an incident resolves: write the report and file it as an issue.',
    yaml: (id, name) => `${heading(id, name)}
  on: resolved
boxes:
  - id: file
    type: file-issue
`,
  },
  {
    key: 'blank',
    title: 'Blank',
    description: 'One post box to start from.',
    yaml: (id, name) => `${heading(id, name)}
  on: alert
boxes:
  - id: post
    type: post
    text: "{{ alert.title }}"
`,
  },
];
