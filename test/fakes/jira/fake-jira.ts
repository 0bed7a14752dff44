/**
 * A fake Jira on 127.0.0.1: Cloud's REST v3 (Atlassian Document bodies, basic auth with email and
 * API token) and Data Center's v2 (wiki-markup strings, a personal access token as bearer), for
 * the routes Sidekick uses: create meta, issues, JQL search by label, comments, issue links, user
 * search. Jira's error shape (`errorMessages`, `errors`), its 32,767-character field limit (measured
 * on the stored form: the serialised document for v3, the string for v2), 255-character summaries,
 * labels without spaces, invalid documents refused, and on demand 429s with Retry-After.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, createTraps, listenOnLoopback, readBody, type FakeVendor } from '../fake-http.js';
import { validateAdf } from './validate-adf.js';

export interface FakeJiraIssue {
  id: string;
  key: string;
  summary: string;
  issuetype: string;
  description: unknown;
  labels: string[];
  assignee?: string;
  comments: { id: string; body: unknown; created: string }[];
  /** Keys of issues linked to this one (either direction), with the link type. */
  links: { type: string; key: string }[];
  /** The API version that created it. */
  api: 2 | 3;
}

export interface FakeJira extends FakeVendor {
  issues: FakeJiraIssue[];
}

const MAX_FIELD = 32_767;
const TOO_LONG = 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.';

export async function startFakeJira(
  options: {
    email?: string;
    apiToken?: string;
    pat?: string;
    project?: string;
    issueTypes?: string[];
    users?: { accountId: string; displayName: string; emailAddress?: string }[];
  } = {},
): Promise<FakeJira> {
  const email = options.email ?? 'bot@acme.example';
  const apiToken = options.apiToken ?? 'ATATT3xFfGF0fakeFakeFake';
  const pat = options.pat ?? 'NjQ3fakePersonalAccessToken';
  const project = options.project ?? 'OPS';
  const issueTypes = options.issueTypes ?? ['Task', 'Bug', 'Incident', 'Sub-task'];
  const users = options.users ?? [];
  const traps = createTraps();
  let nextComment = 10_000;

  const state: FakeJira = {
    url: '',
    issues: [],
    requests: [],
    rateLimitNext: traps.rateLimitNext,
    failNext: traps.failNext,
    close: () => closeServer(server),
  };

  const server = createServer((req, res) => void handle(req, res).catch((error) => send(res, 500, { errorMessages: [String(error)], errors: {} })));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    state.requests.push(`${method} ${url.pathname}${url.search}`);
    const raw = await readBody(req);
    const m0 = /^\/rest\/api\/(2|3)\/(.*)$/.exec(url.pathname);
    if (!m0) return send(res, 404, { errorMessages: ['Not found'], errors: {} });
    const api = Number(m0[1]) as 2 | 3;
    const path = m0[2];
    const auth = req.headers.authorization ?? '';
    const basicOk = auth === `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
    const bearerOk = auth === `Bearer ${pat}`;
    // Cloud takes basic auth on both versions; Data Center's tokens are bearer and it has no v3.
    if (!(basicOk || (bearerOk && api === 2))) {
      return send(res, 401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} }, { 'www-authenticate': 'Basic realm="protected-area"' });
    }
    const trap = traps.take(method, url.pathname);
    if (trap) {
      if (trap.kind === 'limit') {
        const reset = new Date(Date.now() + (trap.retryAfter ?? 5) * 1000).toISOString().slice(0, 16) + 'Z';
        return send(
          res,
          429,
          { errorMessages: ['Rate limit exceeded.'], errors: {} },
          { 'retry-after': String(trap.retryAfter), 'x-ratelimit-reset': reset, 'ratelimit-reason': 'jira-burst-based', 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0' },
        );
      }
      return send(res, trap.status, { errorMessages: [trap.status >= 500 ? 'Internal server error' : 'Error'], errors: {} });
    }
    let input: Record<string, any> = {};
    if (raw) {
      try {
        input = JSON.parse(raw);
      } catch {
        return send(res, 400, { errorMessages: ['Unexpected character in the JSON body.'], errors: {} });
      }
    }
    let m: RegExpExecArray | null;
    const findIssue = (key: string) => state.issues.find((i) => i.key === key || i.id === key);
    const notFound = () => send(res, 404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });

    if ((m = /^issue\/createmeta\/([^/]+)\/issuetypes$/.exec(path)) && method === 'GET') {
      if (decodeURIComponent(m[1]) !== project) return send(res, 404, { errorMessages: [`No project could be found with key '${decodeURIComponent(m[1])}'.`], errors: {} });
      const list = issueTypes.map((name, k) => ({ id: String(10_001 + k), name, subtask: /sub-?task/i.test(name), self: `${state.url}/rest/api/${api}/issuetype/${10_001 + k}` }));
      return send(res, 200, { maxResults: 100, startAt: 0, total: list.length, issueTypes: list });
    }
    if (path === 'issue' && method === 'POST') {
      const fields = input.fields ?? {};
      const errors: Record<string, string> = {};
      if (fields.project?.key !== project) errors.project = 'Specify a valid project ID or key';
      if (!issueTypes.includes(fields.issuetype?.name)) errors.issuetype = 'Specify a valid issue type';
      checkFields(fields, api, errors, true);
      if (Object.keys(errors).length) return send(res, 400, { errorMessages: [], errors });
      const bodyProblem = bodyProblemOf(fields.description, api, 'description');
      if (bodyProblem) return send(res, 400, bodyProblem);
      const n = state.issues.length + 1;
      const issue: FakeJiraIssue = {
        id: String(10_000 + n),
        key: `${project}-${n}`,
        summary: fields.summary,
        issuetype: fields.issuetype.name,
        description: fields.description ?? null,
        labels: fields.labels ?? [],
        assignee: fields.assignee?.accountId ?? fields.assignee?.name,
        comments: [],
        links: [],
        api,
      };
      state.issues.push(issue);
      return send(res, 201, { id: issue.id, key: issue.key, self: `${state.url}/rest/api/${api}/issue/${issue.id}` });
    }
    if ((m = /^issue\/([^/]+)$/.exec(path))) {
      const issue = findIssue(decodeURIComponent(m[1]));
      if (!issue) return notFound();
      if (method === 'GET') return send(res, 200, issueJson(issue, api));
      if (method === 'PUT') {
        const fields = input.fields ?? {};
        const errors: Record<string, string> = {};
        checkFields(fields, api, errors, false);
        if (Object.keys(errors).length) return send(res, 400, { errorMessages: [], errors });
        const bodyProblem = bodyProblemOf(fields.description, api, 'description');
        if (bodyProblem) return send(res, 400, bodyProblem);
        if (typeof fields.summary === 'string') issue.summary = fields.summary;
        if ('description' in fields) issue.description = fields.description;
        res.writeHead(204);
        return void res.end();
      }
    }
    if ((m = /^issue\/([^/]+)\/comment$/.exec(path))) {
      const issue = findIssue(decodeURIComponent(m[1]));
      if (!issue) return notFound();
      if (method === 'GET') {
        const startAt = Number(url.searchParams.get('startAt') ?? 0);
        const maxResults = Math.min(100, Number(url.searchParams.get('maxResults') ?? 50));
        const page = issue.comments.slice(startAt, startAt + maxResults).map((c) => commentJson(issue, c, api));
        return send(res, 200, { startAt, maxResults, total: issue.comments.length, comments: page });
      }
      if (method === 'POST') {
        const problem = bodyProblemOf(input.body, api, 'comment', true);
        if (problem) return send(res, 400, problem);
        const comment = { id: String(nextComment++), body: input.body, created: new Date().toISOString() };
        issue.comments.push(comment);
        return send(res, 201, commentJson(issue, comment, api));
      }
    }
    if ((m = /^issue\/([^/]+)\/comment\/(\d+)$/.exec(path))) {
      const issue = findIssue(decodeURIComponent(m[1]));
      const index = issue?.comments.findIndex((c) => c.id === m![2]) ?? -1;
      if (!issue || index < 0) return notFound();
      if (method === 'PUT') {
        const problem = bodyProblemOf(input.body, api, 'comment', true);
        if (problem) return send(res, 400, problem);
        issue.comments[index].body = input.body;
        return send(res, 200, commentJson(issue, issue.comments[index], api));
      }
      if (method === 'DELETE') {
        issue.comments.splice(index, 1);
        res.writeHead(204);
        return void res.end();
      }
    }
    if (path === 'issueLink' && method === 'POST') {
      const inward = findIssue(input.inwardIssue?.key);
      const outward = findIssue(input.outwardIssue?.key);
      if (!input.type?.name || !['Relates', 'Blocks', 'Cloners', 'Duplicate'].includes(input.type.name))
        return send(res, 404, { errorMessages: [`No issue link type with name '${input.type?.name}' found.`], errors: {} });
      if (!inward || !outward) return send(res, 404, { errorMessages: ['Issue Does Not Exist'], errors: {} });
      inward.links.push({ type: input.type.name, key: outward.key });
      outward.links.push({ type: input.type.name, key: inward.key });
      res.writeHead(201);
      return void res.end();
    }
    if ((path === 'search/jql' && api === 3) || (path === 'search' && api === 2)) {
      const jql = url.searchParams.get('jql') ?? '';
      const match = /^project = "([^"]+)" AND labels = "([^"]+)" ORDER BY created ASC$/.exec(jql);
      if (!match) return send(res, 400, { errorMessages: [`Error in the JQL Query: the fake understands only project + labels, got ${jql}`], errors: {} });
      const found = state.issues.filter((i) => i.key.startsWith(`${match[1]}-`) && i.labels.includes(match[2]));
      const max = Number(url.searchParams.get('maxResults') ?? 50);
      const issues = found.slice(0, max).map((i) => issueJson(i, api));
      return send(res, 200, api === 3 ? { issues, isLast: true } : { startAt: 0, maxResults: max, total: found.length, issues });
    }
    if (path === 'user/search' && method === 'GET') {
      const query = (url.searchParams.get('query') ?? '').toLowerCase();
      const found = users.filter((u) => u.displayName.toLowerCase().startsWith(query) || u.emailAddress?.toLowerCase() === query);
      return send(
        res,
        200,
        found.map((u) => ({ accountId: u.accountId, accountType: 'atlassian', displayName: u.displayName, active: true })),
      );
    }
    send(res, 404, { errorMessages: [`No route for ${method} ${url.pathname}`], errors: {} });
  }

  function checkFields(fields: Record<string, any>, api: 2 | 3, errors: Record<string, string>, creating: boolean) {
    if (creating || 'summary' in fields) {
      if (typeof fields.summary !== 'string' || !fields.summary.trim()) errors.summary = 'You must specify a summary of the issue.';
      else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    }
    for (const label of fields.labels ?? []) if (/\s/.test(label)) errors.labels = `The label '${label}' contains spaces which is invalid.`;
  }

  /** v3 wants a valid document, v2 a string; both at most 32,767 characters as stored. */
  function bodyProblemOf(body: unknown, api: 2 | 3, field: string, required = false) {
    if (body === undefined || body === null) return required ? { errorMessages: [], errors: { [field]: 'Comment body can not be empty!' } } : undefined;
    if (api === 3) {
      if (typeof body !== 'object') return { errorMessages: [], errors: { [field]: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } };
      if (validateAdf(body).length > 0)
        return {
          errorMessages: [
            "We can't create this issue for you right now, it could be due to unsupported content you've added to one or more of the issue's fields. If this issue persists, contact your Jira admin.",
          ],
          errors: {},
        };
      if (JSON.stringify(body).length > MAX_FIELD) return { errorMessages: [], errors: { [field]: TOO_LONG } };
      return undefined;
    }
    if (typeof body !== 'string') return { errorMessages: [], errors: { [field]: 'Operation value must be a string' } };
    if (body.length > MAX_FIELD) return { errorMessages: [], errors: { [field]: TOO_LONG } };
    return undefined;
  }

  const issueJson = (issue: FakeJiraIssue, api: 2 | 3) => ({
    id: issue.id,
    key: issue.key,
    self: `${state.url}/rest/api/${api}/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      issuetype: { name: issue.issuetype },
      labels: issue.labels,
      description: issue.description,
      assignee: issue.assignee ? { accountId: issue.assignee } : null,
      issuelinks: issue.links.map((l, k) => ({ id: String(k + 1), type: { name: l.type }, outwardIssue: { key: l.key } })),
    },
  });
  const commentJson = (issue: FakeJiraIssue, c: { id: string; body: unknown; created: string }, api: 2 | 3) => ({
    id: c.id,
    self: `${state.url}/rest/api/${api}/issue/${issue.id}/comment/${c.id}`,
    author: { accountId: 'sidekick-bot', displayName: 'Sidekick' },
    body: c.body,
    created: c.created,
    updated: c.created,
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  }

  state.url = await listenOnLoopback(server);
  return state;
}
