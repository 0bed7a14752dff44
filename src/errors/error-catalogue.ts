/**
 * Every error code Sidekick answers or records, in one place: its HTTP status, whether running the
 * work again can help, and how to fix it when the message cannot say more. Codes are stable: the
 * API, monitors' retry logic, the timeline and the docs rely on them. A new code is added here.
 */

/** What the catalogue knows of one code. */
export interface ErrorSpec {
  status: number;
  retryable: boolean;
  hint?: string;
}

const fix = (status: number, hint?: string): ErrorSpec => (hint === undefined ? { status, retryable: false } : { status, retryable: false, hint });
/** A vendor that limits or is down: worth another try later (503 when it reaches an API answer). */
const later: ErrorSpec = { status: 503, retryable: true };
/** A vendor that refused for a reason a person must fix (502: the failure is upstream). */
const upstream = (hint?: string): ErrorSpec => fix(502, hint);

const CODES = {
  // ---- the HTTP API ------------------------------------------------------------------------
  BAD_REQUEST: fix(400),
  BAD_JSON: fix(400),
  BODY_TOO_LARGE: fix(413),
  REQUEST_INVALID: fix(400),
  NOT_FOUND: fix(404),
  MESSAGE_NOT_FOUND: fix(404),
  INTERNAL: fix(500, 'the server log has the details'),
  LOGIN_FAILED: fix(401),
  NAME_INVALID: fix(400),
  USER_NAME_INVALID: fix(400),
  USER_EXISTS: fix(409, 'change the password with `sidekick users passwd <name>`'),
  USER_IS_SSO: fix(409, 'the account signs on through single sign-on; its password lives with the provider'),
  USER_NOT_FOUND: fix(404, '`sidekick users list` shows the accounts'),
  USER_PASSWORD_WEAK: fix(400),
  // ---- the AI first draft: never retried by itself; a person regenerates it --------------------
  AI_NOT_CONFIGURED: fix(409, 'set SIDEKICK_AI_URL and SIDEKICK_AI_MODEL'),
  DRAFT_MISSING: fix(409, 'regenerate the draft first'),
  AI_TIMEOUT: { status: 504, retryable: true, hint: 'raise SIDEKICK_AI_TIMEOUT_MS or use a faster model' },
  AI_UNAVAILABLE: { status: 503, retryable: true, hint: 'check SIDEKICK_AI_URL and that the model server runs' },
  AI_RATE_LIMITED: { status: 503, retryable: true },
  AI_REJECTED: upstream('check SIDEKICK_AI_KEY and SIDEKICK_AI_MODEL'),
  AI_BAD_ANSWER: upstream('try another model, or regenerate'),
  LOGIN_REQUIRED: fix(401),
  LOGIN_THROTTLED: fix(429),
  CSRF_HEADER_MISSING: fix(403),
  INCIDENT_NOT_FOUND: fix(404),
  INCIDENT_NOT_A_STORM: fix(409, 'only an alert-storm incident holds groups to split out'),
  INCIDENT_GROUP_UNKNOWN: fix(404, 'list the groups with GET /api/incidents/:id/groups'),
  INCIDENT_RESOLVED: fix(409),
  INCIDENT_GROUP_OPEN: fix(409, 'the group already has an open incident of its own'),
  FLOW_NOT_FOUND: fix(404),
  CHANNEL_NOT_FOUND: fix(404),
  PLAYBOOK_NOT_FOUND: fix(404),
  SAMPLE_NOT_FOUND: fix(404),
  CLICK_INVALID: fix(400),
  CLICK_STALE: fix(409),
  SIMULATE_NO_ALERT: fix(400),
  SIMULATE_ALERT_SOURCE_UNKNOWN: fix(400),
  SIMULATE_ALERT_INVALID: fix(422),

  // ---- alert intake (monitors retry 5xx, never 4xx) ----------------------------------------
  ALERT_SOURCE_UNKNOWN: fix(404),
  ALERT_SOURCE_DISABLED: fix(404, 'set alerts.sources.<name>.enabled: true'),
  ALERT_AUTH_FAILED: fix(401),
  ALERT_BODY_TOO_LARGE: fix(413, 'raise alerts.maxBodyBytes or send smaller groups'),
  ALERT_BAD_JSON: fix(400),
  ALERT_UNMAPPABLE: fix(422, 'fix the source mapping, then replay the dead letter'),
  ALERT_DEAD_LETTER_UNKNOWN: fix(404),
  ALERT_STORE_FAILED: { status: 503, retryable: true },
  ALERT_INTERNAL: fix(500),

  // ---- configuration and input -------------------------------------------------------------
  CONFIG_INVALID: fix(500, 'fix sidekick.yaml or the environment; `sidekick validate` shows every problem'),
  DURATION_INVALID: fix(400),
  SLACK_CONFIG_INVALID: fix(500, 'see docs/slack.md'),
  TEAMS_CONFIG_INVALID: fix(500, 'see docs/teams.md'),
  CHAT_NOT_CONFIGURED: fix(500),

  // ---- the store ---------------------------------------------------------------------------
  STORE_INVALID_TIME: fix(500),
  STORE_NOT_FOUND: fix(404),
  STORE_CONFLICT: fix(409),
  /** Another writer changed the incident first: decide again on the new state. */
  STORE_VERSION_CONFLICT: { status: 409, retryable: true },
  STORE_INVALID_SCHEMA: fix(500),
  STORE_IN_TRANSACTION: fix(500),
  STORE_DUPLICATE_OPERATION: fix(500),

  // ---- templates and reports (a template that cannot render will not render on a retry) -----
  TEMPLATE_PARSE: fix(422),
  TEMPLATE_RENDER: fix(422),
  TEMPLATE_LIMIT: fix(422),
  TEMPLATE_OUTPUT_TOO_LONG: fix(422),
  TEMPLATE_SHELL_CONTEXT: fix(422),
  TEMPLATE_JSON_CONTEXT: fix(422),
  REPORT_INCIDENT_NOT_FOUND: fix(404),
  REPORT_TEMPLATE_INVALID: fix(422),
  REPORT_TEMPLATE_UNREADABLE: fix(500),

  // ---- the http-request box ----------------------------------------------------------------
  HTTP_UNAVAILABLE: later,
  HTTP_BAD_HEADER: fix(422),
  HTTP_BAD_URL: fix(422),
  HTTP_BAD_REDIRECT: upstream(),
  HTTP_TOO_MANY_REDIRECTS: upstream(),
  HTTP_RESPONSE_TOO_LARGE: upstream(),
  HTTP_TARGET_NOT_ALLOWED: fix(422, 'list the target under http.allow in sidekick.yaml'),
  HTTP_URL_ORIGIN_CHANGED: fix(422),
  HTTP_URL_DOT_SEGMENT: fix(422),
  HTTP_URL_HOST_FROM_VALUE: fix(422),

  // ---- flow and playbook findings (`sidekick validate`, the editor, a save through the API) --
  FLOW_BOX_NOT_BEFORE: fix(422),
  FLOW_BOX_SETTINGS: fix(422),
  FLOW_CHOICE_WITHOUT_ARROW: fix(422),
  FLOW_DIR_UNREADABLE: fix(422),
  FLOW_DUPLICATE_BOX: fix(422),
  FLOW_ID_MISMATCH: fix(422),
  FLOW_NOT_A_MAPPING: fix(422),
  FLOW_NO_START: fix(422),
  FLOW_SAMPLE: fix(422),
  FLOW_SCHEMA: fix(422),
  FLOW_TEMPLATE: fix(422),
  FLOW_TOO_LARGE: fix(422),
  FLOW_UNKNOWN_BOX: fix(422),
  FLOW_UNKNOWN_OUTPUT: fix(422),
  FLOW_UNKNOWN_PLAYBOOK: fix(422),
  FLOW_UNKNOWN_TARGET: fix(422),
  FLOW_UNREACHABLE: fix(422),
  FLOW_UNREADABLE: fix(422),
  FLOW_URL_HOST_FROM_VALUE: fix(422),
  FLOW_YAML: fix(422),
  PLAYBOOK_BAD_TEMPLATE: fix(422),
  PLAYBOOK_DUPLICATE_PAGE: fix(422),
  PLAYBOOK_EMPTY: fix(422),
  PLAYBOOK_EMPTY_PAGE: fix(422),
  PLAYBOOK_LONG_CHOICE_LABEL: fix(422),
  PLAYBOOK_NO_PAGES: fix(422),
  PLAYBOOK_TOO_LARGE: fix(422),
  PLAYBOOK_TOO_MANY_CHOICES: fix(422),
  PLAYBOOK_UNCLOSED_FENCE: fix(422),
  PLAYBOOK_UNKNOWN_PAGE: fix(422),
  PLAYBOOK_UNPARSABLE: fix(422),
  PLAYBOOK_UNREACHABLE_PAGE: fix(422),
  PLAYBOOK_UNREADABLE: fix(422),
  PLAYBOOK_UNSAFE_QUOTING: fix(422),

  // ---- trackers, meetings, graphs ----------------------------------------------------------
  TRACKER_NOT_CONFIGURED: fix(500),
  TRACKER_AUTH_FAILED: upstream('check the tracker token (GITHUB_TOKEN, GITLAB_TOKEN, JIRA_API_TOKEN)'),
  TRACKER_FORBIDDEN: upstream(),
  TRACKER_NOT_FOUND: upstream(),
  TRACKER_REJECTED: upstream(),
  TRACKER_RATE_LIMITED: later,
  TRACKER_UNAVAILABLE: later,
  TRACKER_WRITE_FAILED: { status: 500, retryable: true },
  MEETING_NOT_CONFIGURED: fix(500),
  MEETING_AUTH_FAILED: upstream(),
  MEETING_REJECTED: upstream(),
  MEETING_RATE_LIMITED: later,
  MEETING_UNAVAILABLE: later,
  GRAPH_NOT_CONFIGURED: fix(500),
  GRAPH_AUTH_FAILED: upstream(),
  GRAPH_REJECTED: upstream(),
  GRAPH_RATE_LIMITED: later,
  GRAPH_UNAVAILABLE: later,

  // ---- chat (vendor answers such as SLACK_CHANNEL_NOT_FOUND fall under the families below) ---
  SLACK_RATE_LIMITED: later,
  SLACK_UNAVAILABLE: later,
  SLACK_PACED: later,
  SLACK_BODY_INVALID: fix(400),
  SLACK_SIGNATURE_MISSING: fix(401),
  SLACK_SIGNATURE_STALE: fix(401, 'check the clock of this host'),
  SLACK_SIGNATURE_VERSION: fix(401),
  SLACK_SIGNATURE_MISMATCH: fix(401, 'check SLACK_SIGNING_SECRET'),
  SLACK_SIGNING_SECRET_MISSING: fix(401, 'set SLACK_SIGNING_SECRET'),
  TEAMS_RATE_LIMITED: later,
  TEAMS_UNAVAILABLE: later,
  TEAMS_PACED: later,
  TEAMS_LOGIN_UNAVAILABLE: later,
  TEAMS_LOGIN_FAILED: upstream('check TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID'),
} as const satisfies Record<string, ErrorSpec>;

/** A code the catalogue lists by name. */
export type CataloguedCode = keyof typeof CODES;

/**
 * Codes made from a vendor's own answer (`SLACK_<slack error>`, `TEAMS_<error code>`,
 * `TEAMS_AUTH_<problem>`): one entry per family, longest prefix first.
 */
const FAMILIES: [prefix: string, spec: ErrorSpec][] = [
  ['TEAMS_AUTH_', fix(401)],
  ['SLACK_', upstream()],
  ['TEAMS_', upstream()],
];

/** A code that is in no entry: a bug in the catalogue, answered as an internal error. */
const UNKNOWN: ErrorSpec = fix(500);

/** The status, retryability and hint of `code`. */
export function specOf(code: string): ErrorSpec {
  if (Object.hasOwn(CODES, code)) return CODES[code as CataloguedCode];
  return FAMILIES.find(([prefix]) => code.startsWith(prefix))?.[1] ?? UNKNOWN;
}

/** Whether the catalogue lists `code` by name or by family. */
export function isCatalogued(code: string): boolean {
  return Object.hasOwn(CODES, code) || FAMILIES.some(([prefix]) => code.startsWith(prefix));
}

/** The codes listed by name (for the docs and the catalogue's own test). */
export function cataloguedCodes(): string[] {
  return Object.keys(CODES);
}
