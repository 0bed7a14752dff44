/**
 * A fake GitLab REST API v4 on 127.0.0.1 for one project: issues (with `issue_type`, labels as a
 * comma-separated string, assignees), notes, related-issue links and user lookup; `:id` as the
 * number or the URL-encoded path; PRIVATE-TOKEN or Bearer auth (401 `{"message":"401 Unauthorized"}`);
 * GitLab's `message` error shapes; 255-character titles and 1,000,000-character descriptions and
 * notes; an instance that refuses `issue_type=incident` on demand; 429 "Retry later" with
 * Retry-After and RateLimit-* headers on demand.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, createTraps, listenOnLoopback, readBody, type FakeVendor } from '../fake-http.js';

export interface FakeGitLabIssue {
  id: number;
  iid: number;
  title: string;
  description: string | null;
  labels: string[];
  issue_type: 'issue' | 'incident';
  assignee_ids: number[];
  notes: { id: number; body: string; system: boolean; created_at: string }[];
  links: number[];
  created_at: string;
}

export interface FakeGitLab extends FakeVendor {
  issues: FakeGitLabIssue[];
}

const MAX_TEXT = 1_000_000;

export async function startFakeGitLab(options: { token?: string; projectId?: number; path?: string; incidents?: boolean; users?: { id: number; username: string }[] } = {}): Promise<FakeGitLab> {
  const token = options.token ?? 'glpat-fakeFakeFakeFake0001';
  const projectId = options.projectId ?? 42;
  const projectPath = options.path ?? 'acme/ops';
  const users = options.users ?? [];
  const traps = createTraps();
  let nextId = 5000;
  let nextNote = 9000;
  const state: FakeGitLab = {
    url: '',
    issues: [],
    requests: [],
    rateLimitNext: traps.rateLimitNext,
    failNext: traps.failNext,
    close: () => closeServer(server),
  };
  const server = createServer((req, res) => void handle(req, res).catch((error) => send(res, 500, { message: `500 Internal Server Error: ${String(error)}` })));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    // The raw path keeps %2F: a project path is one segment.
    const rawPath = (req.url ?? '/').split('?')[0];
    state.requests.push(`${method} ${rawPath}${url.search}`);
    const raw = await readBody(req);
    const given = req.headers['private-token'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (given !== token) return send(res, 401, { message: '401 Unauthorized' });
    const trap = traps.take(method, rawPath);
    if (trap) {
      if (trap.kind === 'limit') {
        const reset = Math.floor(Date.now() / 1000) + (trap.retryAfter ?? 5);
        res.writeHead(429, {
          'content-type': 'text/plain',
          'retry-after': String(trap.retryAfter),
          'ratelimit-limit': '2000',
          'ratelimit-observed': '2001',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(reset),
          'ratelimit-resettime': new Date(reset * 1000).toUTCString(),
        });
        return void res.end('Retry later\n');
      }
      return send(res, trap.status, { message: `${trap.status} ${trap.status >= 500 ? 'Internal Server Error' : 'Error'}` });
    }
    let input: Record<string, any> = {};
    if (raw) {
      try {
        input = JSON.parse(raw);
      } catch {
        return send(res, 400, { error: 'The request body is not valid JSON' });
      }
    }
    if (rawPath === '/api/v4/users' && method === 'GET') {
      const name = (url.searchParams.get('username') ?? '').toLowerCase();
      return send(
        res,
        200,
        users.filter((u) => u.username.toLowerCase() === name).map((u) => ({ id: u.id, username: u.username, name: u.username, state: 'active' })),
      );
    }
    const m0 = /^\/api\/v4\/projects\/([^/]+)\/(.*)$/.exec(rawPath);
    if (!m0) return send(res, 404, { message: '404 Not Found' });
    const id = decodeURIComponent(m0[1]);
    if (id !== String(projectId) && id !== projectPath) return send(res, 404, { message: '404 Project Not Found' });
    const path = m0[2];
    const now = new Date().toISOString();
    let m: RegExpExecArray | null;
    const issueOf = (iid: string) => state.issues.find((i) => i.iid === Number(iid));

    if (path === 'issues' && method === 'POST') {
      const problem = textProblem(input, true);
      if (problem) return send(res, 400, problem);
      const type = input.issue_type ?? 'issue';
      if (!['issue', 'incident', 'test_case', 'task'].includes(type) || (type === 'incident' && options.incidents === false))
        return send(res, 400, { error: 'issue_type does not have a valid value' });
      const issue: FakeGitLabIssue = {
        id: nextId++,
        iid: state.issues.length + 1,
        title: input.title,
        description: input.description ?? null,
        labels: splitLabels(input.labels),
        issue_type: type,
        assignee_ids: input.assignee_ids ?? [],
        notes: [],
        links: [],
        created_at: now,
      };
      state.issues.push(issue);
      return send(res, 201, issueJson(issue));
    }
    if (path === 'issues' && method === 'GET') {
      const labels = splitLabels(url.searchParams.get('labels') ?? '');
      let list = state.issues.filter((i) => labels.every((l) => i.labels.includes(l)));
      if (url.searchParams.get('sort') !== 'asc') list = [...list].reverse();
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 20));
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = list.slice((page - 1) * perPage, page * perPage);
      const next = page * perPage < list.length ? String(page + 1) : '';
      return send(res, 200, slice.map(issueJson), { 'x-page': String(page), 'x-per-page': String(perPage), 'x-next-page': next, 'x-total': String(list.length) });
    }
    if ((m = /^issues\/(\d+)$/.exec(path))) {
      const issue = issueOf(m[1]);
      if (!issue) return send(res, 404, { message: '404 Not found' });
      if (method === 'GET') return send(res, 200, issueJson(issue));
      if (method === 'PUT') {
        const problem = textProblem(input, false);
        if (problem) return send(res, 400, problem);
        if (typeof input.title === 'string') issue.title = input.title;
        if (typeof input.description === 'string') issue.description = input.description;
        return send(res, 200, issueJson(issue));
      }
    }
    if ((m = /^issues\/(\d+)\/notes$/.exec(path))) {
      const issue = issueOf(m[1]);
      if (!issue) return send(res, 404, { message: '404 Not found' });
      if (method === 'GET') {
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 20));
        const page = Number(url.searchParams.get('page') ?? 1);
        const sorted = url.searchParams.get('sort') === 'asc' ? issue.notes : [...issue.notes].reverse();
        const next = page * perPage < sorted.length ? page + 1 : undefined;
        const link: Record<string, string> = next ? { link: `<${state.url}${rawPath}?${new URLSearchParams({ ...Object.fromEntries(url.searchParams), page: String(next) })}>; rel="next"` } : {};
        return send(
          res,
          200,
          sorted.slice((page - 1) * perPage, page * perPage).map((n) => ({ ...n, noteable_iid: issue.iid, author: { username: 'sidekick-bot' } })),
          link,
        );
      }
      if (method === 'POST') {
        if (typeof input.body !== 'string' || !input.body) return send(res, 400, { error: 'body is missing' });
        if (input.body.length > MAX_TEXT) return send(res, 400, { message: { note: [`is too long (maximum is ${MAX_TEXT} characters)`] } });
        const note = { id: nextNote++, body: input.body, system: false, created_at: now };
        issue.notes.push(note);
        return send(res, 201, { ...note, noteable_iid: issue.iid });
      }
    }
    if ((m = /^issues\/(\d+)\/notes\/(\d+)$/.exec(path))) {
      const issue = issueOf(m[1]);
      const index = issue?.notes.findIndex((n) => n.id === Number(m![2])) ?? -1;
      if (!issue || index < 0) return send(res, 404, { message: '404 Not found' });
      if (method === 'PUT') {
        if (typeof input.body === 'string' && input.body.length > MAX_TEXT) return send(res, 400, { message: { note: [`is too long (maximum is ${MAX_TEXT} characters)`] } });
        issue.notes[index].body = input.body;
        return send(res, 200, issue.notes[index]);
      }
      if (method === 'DELETE') {
        issue.notes.splice(index, 1);
        res.writeHead(204);
        return void res.end();
      }
    }
    if ((m = /^issues\/(\d+)\/links$/.exec(path))) {
      const issue = issueOf(m[1]);
      if (!issue) return send(res, 404, { message: '404 Not found' });
      if (method === 'GET')
        return send(
          res,
          200,
          issue.links.map((iid) => ({ ...issueJson(issueOf(String(iid))!), link_type: 'relates_to' })),
        );
      if (method === 'POST') {
        const target = issueOf(String(input.target_issue_iid));
        if (!target || String(input.target_project_id) !== String(projectId)) return send(res, 404, { message: '404 Not found' });
        if (issue.links.includes(target.iid)) return send(res, 409, { message: 'Issue(s) already assigned' });
        issue.links.push(target.iid);
        target.links.push(issue.iid);
        return send(res, 201, { source_issue: issueJson(issue), target_issue: issueJson(target), link_type: input.link_type ?? 'relates_to' });
      }
    }
    send(res, 404, { message: '404 Not Found' });
  }

  function textProblem(input: Record<string, any>, creating: boolean) {
    if (creating && (typeof input.title !== 'string' || !input.title.trim())) return { error: 'title is missing' };
    if (typeof input.title === 'string' && input.title.length > 255) return { message: { title: ['is too long (maximum is 255 characters)'] } };
    if (typeof input.description === 'string' && input.description.length > MAX_TEXT) return { message: { description: [`is too long (maximum is ${MAX_TEXT} characters)`] } };
    return undefined;
  }
  const issueJson = (issue: FakeGitLabIssue) => ({
    id: issue.id,
    iid: issue.iid,
    project_id: projectId,
    title: issue.title,
    description: issue.description,
    state: 'opened',
    created_at: issue.created_at,
    updated_at: issue.created_at,
    labels: issue.labels,
    assignees: issue.assignee_ids.map((id) => ({ id, username: users.find((u) => u.id === id)?.username })),
    author: { id: 1, username: 'sidekick-bot' },
    issue_type: issue.issue_type,
    type: issue.issue_type.toUpperCase(),
    severity: 'UNKNOWN',
    web_url: `https://gitlab.example/${projectPath}/-/${issue.issue_type === 'incident' ? 'issues/incident' : 'issues'}/${issue.iid}`.replace('issues/incident', 'issues'),
    references: { short: `#${issue.iid}`, full: `${projectPath}#${issue.iid}` },
  });
  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
  state.url = await listenOnLoopback(server);
  return state;
}

function splitLabels(value: unknown): string[] {
  const list = Array.isArray(value) ? value : String(value ?? '').split(',');
  return [...new Set(list.map((l) => String(l).trim()).filter(Boolean))];
}
