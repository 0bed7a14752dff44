/**
 * A fake GitHub REST API on 127.0.0.1 for issues and issue comments: GitHub's 201 shapes, Link
 * pagination, 401 Bad credentials, 404 for unknown repositories, 422 with `errors[]` for bodies
 * over 65,536 characters, rate-limit headers, and on demand a secondary rate limit (403/429 with
 * or without Retry-After), server errors, or a connection dropped after an issue was created.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, createTraps, listenOnLoopback, readBody } from '../fake-http.js';

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  created_at: string;
  updated_at: string;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface FakeGitHub {
  /** Base URL to give Octokit (`baseUrl`). */
  url: string;
  issues: FakeIssue[];
  /** Comments of one issue, oldest first. */
  commentsOf(issue: number): FakeComment[];
  /** Every request as `METHOD /path?query`, for asserting what was (not) called. */
  requests: string[];
  /** The next `count` requests (matching `method`, if given) hit a secondary rate limit. */
  secondaryRateLimitNext(count: number, options?: { retryAfter?: number | null; status?: 403 | 429; method?: string }): void;
  /** The next `count` requests (matching `method` and a path containing `path`) answer `status` with GitHub's error shape. */
  failNext(count: number, status: number, options?: { method?: string; path?: string }): void;
  /** The next issue creation succeeds but the connection drops before the answer (a crash mid-call). */
  dropNextCreate(): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest/issues/issues';
const MAX_BODY = 65_536;

/** Starts the fake for one repository and one token. */
export async function startFakeGitHub(options: { token?: string; repo?: string; login?: string } = {}): Promise<FakeGitHub> {
  const token = options.token ?? 'ghp_fakeFakeFakeFakeFakeFakeFakeFake0001';
  const repo = options.repo ?? 'acme/incidents';
  const login = options.login ?? 'sidekick-bot';
  const comments: FakeComment[] = [];
  let nextIssueId = 1_000_001;
  let nextCommentId = 2_000_001;
  let remaining = 5000;
  const traps = createTraps();
  let dropCreate = false;

  const state: FakeGitHub = {
    url: '',
    issues: [],
    commentsOf: (issue) => comments.filter((c) => c.issue === issue),
    requests: [],
    secondaryRateLimitNext: (count, o = {}) => traps.arm({ kind: 'limit', count, status: o.status ?? 403, retryAfter: o.retryAfter === undefined ? 60 : o.retryAfter, method: o.method }),
    failNext: traps.failNext,
    dropNextCreate: () => (dropCreate = true),
    close: () => closeServer(server),
  };

  const base = () => `${state.url}/repos/${repo}`;
  const user = { login, id: 4242, node_id: 'MDQ6VXNlcjQyNDI=', type: 'Bot', site_admin: false };
  const issueJson = (issue: FakeIssue) => ({
    url: `${base()}/issues/${issue.number}`,
    repository_url: base(),
    labels_url: `${base()}/issues/${issue.number}/labels{/name}`,
    comments_url: `${base()}/issues/${issue.number}/comments`,
    events_url: `${base()}/issues/${issue.number}/events`,
    html_url: `https://github.example/${repo}/issues/${issue.number}`,
    id: issue.id,
    node_id: `I_kwDO${issue.id}`,
    number: issue.number,
    title: issue.title,
    user,
    labels: issue.labels.map((name, i) => ({ id: 100 + i, node_id: `LA_${i}`, url: `${base()}/labels/${encodeURIComponent(name)}`, name, color: 'ededed', default: false, description: null })),
    state: issue.state,
    locked: false,
    assignee: issue.assignees[0] ? { ...user, login: issue.assignees[0] } : null,
    assignees: issue.assignees.map((a) => ({ ...user, login: a })),
    milestone: null,
    comments: comments.filter((c) => c.issue === issue.number).length,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: null,
    author_association: 'NONE',
    active_lock_reason: null,
    body: issue.body,
    reactions: { url: `${base()}/issues/${issue.number}/reactions`, total_count: 0 },
    timeline_url: `${base()}/issues/${issue.number}/timeline`,
    performed_via_github_app: null,
    state_reason: null,
  });
  const commentJson = (c: FakeComment) => ({
    url: `${base()}/issues/comments/${c.id}`,
    html_url: `https://github.example/${repo}/issues/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${base()}/issues/${c.issue}`,
    id: c.id,
    node_id: `IC_${c.id}`,
    user,
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: 'NONE',
    body: c.body,
    reactions: { url: `${base()}/issues/comments/${c.id}/reactions`, total_count: 0 },
    performed_via_github_app: null,
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => send(res, 500, { message: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    state.requests.push(`${method} ${url.pathname}${url.search}`);
    const raw = await readBody(req);
    const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (auth !== token) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    const trap = traps.take(method, url.pathname);
    if (trap) {
      if (trap.kind === 'fail') return send(res, trap.status, { message: trap.status >= 500 ? 'Server Error' : 'Error', documentation_url: DOCS, status: String(trap.status) });
      const headers: Record<string, string> = trap.retryAfter === null ? {} : { 'retry-after': String(trap.retryAfter) };
      return send(
        res,
        trap.status,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(trap.status),
        },
        headers,
      );
    }
    const prefix = `/repos/${repo}/`;
    if (!url.pathname.startsWith(prefix)) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    const path = url.pathname.slice(prefix.length);
    let input: Record<string, unknown> = {};
    if (raw) {
      try {
        input = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
      }
    }
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    let m: RegExpExecArray | null;

    if (path === 'issues' && method === 'GET') {
      const wanted = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const st = url.searchParams.get('state') ?? 'open';
      let list = state.issues.filter((i) => (st === 'all' || i.state === st) && wanted.every((l) => i.labels.includes(l)));
      list = url.searchParams.get('direction') === 'asc' ? list : [...list].reverse();
      return sendPage(req, res, url, list.map(issueJson));
    }
    if (path === 'issues' && method === 'POST') {
      const problem = bodyProblem(input, 'Issue', true);
      if (problem) return send(res, 422, problem);
      const labels = (Array.isArray(input.labels) ? input.labels : []).map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name)));
      const issue: FakeIssue = {
        id: nextIssueId++,
        number: state.issues.length + 1,
        title: String(input.title),
        body: typeof input.body === 'string' ? input.body : null,
        state: 'open',
        labels: [...new Set(labels)],
        assignees: Array.isArray(input.assignees) ? input.assignees.map(String) : [],
        created_at: now,
        updated_at: now,
      };
      state.issues.push(issue);
      if (dropCreate) {
        dropCreate = false;
        req.socket.destroy();
        return;
      }
      return send(res, 201, issueJson(issue), { location: `${base()}/issues/${issue.number}` });
    }
    if ((m = /^issues\/(\d+)$/.exec(path))) {
      const issue = state.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      if (method === 'GET') return send(res, 200, issueJson(issue));
      if (method === 'PATCH') {
        const problem = bodyProblem(input, 'Issue', false);
        if (problem) return send(res, 422, problem);
        if (typeof input.title === 'string') issue.title = input.title;
        if (typeof input.body === 'string') issue.body = input.body;
        if (input.state === 'open' || input.state === 'closed') issue.state = input.state;
        issue.updated_at = now;
        return send(res, 200, issueJson(issue));
      }
    }
    if ((m = /^issues\/(\d+)\/comments$/.exec(path))) {
      const issue = state.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      if (method === 'GET') return sendPage(req, res, url, state.commentsOf(issue.number).map(commentJson));
      if (method === 'POST') {
        const problem = bodyProblem(input, 'IssueComment', true);
        if (problem) return send(res, 422, problem);
        const comment: FakeComment = { id: nextCommentId++, issue: issue.number, body: String(input.body), created_at: now, updated_at: now };
        comments.push(comment);
        return send(res, 201, commentJson(comment), { location: `${base()}/issues/comments/${comment.id}` });
      }
    }
    if ((m = /^issues\/comments\/(\d+)$/.exec(path))) {
      const index = comments.findIndex((c) => c.id === Number(m![1]));
      if (index < 0) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      const comment = comments[index];
      if (method === 'GET') return send(res, 200, commentJson(comment));
      if (method === 'PATCH') {
        const problem = bodyProblem(input, 'IssueComment', true);
        if (problem) return send(res, 422, problem);
        comment.body = String(input.body);
        comment.updated_at = now;
        return send(res, 200, commentJson(comment));
      }
      if (method === 'DELETE') {
        comments.splice(index, 1);
        res.writeHead(204, rateHeaders());
        return void res.end();
      }
    }
    send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  }

  function bodyProblem(input: Record<string, unknown>, resource: 'Issue' | 'IssueComment', required: boolean) {
    const field = resource === 'Issue' ? 'title' : 'body';
    if (required && (input[field] === undefined || input[field] === null || input[field] === '')) {
      return { message: 'Invalid request.\n\nNo subschema in "anyOf" matched.', errors: [{ resource, code: 'missing_field', field }], documentation_url: DOCS, status: '422' };
    }
    // GitHub counts characters, not bytes: emoji count once.
    if (typeof input.body === 'string' && Array.from(input.body).length > MAX_BODY) {
      return resource === 'Issue'
        ? {
            message: 'Validation Failed',
            errors: [{ resource, code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
            documentation_url: `${DOCS}#create-an-issue`,
            status: '422',
          }
        : {
            message: 'Validation Failed',
            errors: [{ resource, code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' }],
            documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
            status: '422',
          };
    }
    return undefined;
  }

  function sendPage(req: IncomingMessage, res: ServerResponse, url: URL, items: unknown[]): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.toString().replace('http://127.0.0.1', state.url));
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return `<${u}>; rel="${rel}"`;
    };
    const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
    send(res, 200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }

  function rateHeaders(): Record<string, string> {
    remaining = Math.max(0, remaining - 1);
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
    };
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...rateHeaders(), ...headers });
    res.end(JSON.stringify(body));
  }

  state.url = await listenOnLoopback(server);
  return state;
}
