/** The message both systems post: the alert's title, host, and its number for timing. */
export const SIDEKICK_POST_FLOW = `
id: post-alert
trigger: { on: alert }
boxes:
  - id: post
    type: post
    channel: "#bench-{{ alert.labels.seq }}"
    text: "🚨 {{ alert.title }} on {{ alert.labels.host }} (#{{ alert.labels.seq }})"
`;

/**
 * The same job as a Node-RED flow: http in (POST /webhooks/generic) → 202 at once, and
 * template (mustache) → http request (chat.postMessage to the Slack fake with the bot token,
 * keep-alive), each alert to its own channel. A GET /ready answers once the flow is deployed.
 */
export function nodeRedFlows(slackApiUrl: string, token: string): Record<string, unknown>[] {
  return [
    { id: 'bench-tab', type: 'tab', label: 'bench' },
    { id: 'bench-in', type: 'http in', z: 'bench-tab', url: '/webhooks/generic', method: 'post', upload: false, wires: [['bench-ack', 'bench-template']] },
    { id: 'bench-ack', type: 'http response', z: 'bench-tab', statusCode: '202', headers: {}, wires: [] },
    {
      id: 'bench-template',
      type: 'template',
      z: 'bench-tab',
      field: 'payload',
      fieldType: 'msg',
      format: 'handlebars',
      syntax: 'mustache',
      template: '{"channel":"#bench-{{payload.labels.seq}}","text":"🚨 {{{payload.title}}} on {{{payload.labels.host}}} (#{{payload.labels.seq}})"}',
      output: 'str',
      wires: [['bench-post']],
    },
    {
      id: 'bench-post',
      type: 'http request',
      z: 'bench-tab',
      method: 'POST',
      ret: 'txt',
      paytoqs: 'ignore',
      url: `${slackApiUrl}chat.postMessage`,
      persist: true,
      headers: [
        { keyType: 'Content-Type', keyValue: '', valueType: 'application/json', valueValue: '' },
        { keyType: 'other', keyValue: 'Authorization', valueType: 'other', valueValue: `Bearer ${token}` },
      ],
      wires: [[]],
    },
    { id: 'bench-ready-in', type: 'http in', z: 'bench-tab', url: '/ready', method: 'get', wires: [['bench-ready-out']] },
    { id: 'bench-ready-out', type: 'http response', z: 'bench-tab', statusCode: '200', headers: {}, wires: [] },
  ];
}
