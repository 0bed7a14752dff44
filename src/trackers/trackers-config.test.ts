import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readTrackerConfig } from './trackers-config.js';
import { createTracker } from './create-tracker.js';
import { MarkdownFileTracker } from './markdown/markdown-file.js';
import { GitHubTracker } from './github/github.js';

const deps = { dataDir: '/data', publicUrl: 'http://127.0.0.1:3000' };

describe('tracker configuration', () => {
  it('defaults to Markdown files in <dataDir>/reports', async () => {
    const config = readTrackerConfig(undefined, {});
    expect(config.kind).toBe('markdown');
    const tracker = await createTracker(undefined, { ...deps, env: {} });
    expect(tracker).toBeInstanceOf(MarkdownFileTracker);
    expect((tracker as unknown as { options: { dir: string } }).options.dir).toBe(join('/data', 'reports'));
  });

  it('files to GitHub when GITHUB_TOKEN and GITHUB_REPO are set', async () => {
    const env = { GITHUB_TOKEN: 'ghp_x', GITHUB_REPO: 'acme/incidents', GITHUB_API_URL: 'https://ghe.example/api/v3' };
    const config = readTrackerConfig({}, env);
    expect(config).toMatchObject({ kind: 'github', github: { repo: 'acme/incidents', apiUrl: 'https://ghe.example/api/v3', labels: ['incident'] } });
    expect(await createTracker({ github: { labels: ['sev'] } }, { ...deps, env })).toBeInstanceOf(GitHubTracker);
    expect(readTrackerConfig({ kind: 'markdown' }, env).kind).toBe('markdown');
  });

  it('explains what is missing or wrong', async () => {
    await expect(createTracker({ kind: 'github' }, { ...deps, env: {} })).rejects.toThrow(/tracker "github" needs GITHUB_TOKEN and GITHUB_REPO$/);
    await expect(createTracker({ kind: 'github' }, { ...deps, env: { GITHUB_TOKEN: 'ghp_x' } })).rejects.toThrow(/tracker "github" needs GITHUB_REPO$/);
    expect(() => readTrackerConfig({}, { GITHUB_REPO: 'not a repo' })).toThrow(/owner\/name/);
    await expect(createTracker({ kind: 'jira' }, { ...deps, env: {} })).rejects.toThrow(/JIRA_URL, JIRA_API_TOKEN and JIRA_PROJECT \(and JIRA_EMAIL for Jira Cloud\)/);
    await expect(createTracker({ kind: 'gitlab' }, { ...deps, env: {} })).rejects.toThrow(/GITLAB_TOKEN and GITLAB_PROJECT \(and GITLAB_URL when self-managed\)/);
    expect(() => readTrackerConfig({ kind: 'trello' }, {})).toThrow();
    expect(() => readTrackerConfig({}, { JIRA_PROJECT: 'has space' })).toThrow(/project key/);
    expect(() => readTrackerConfig({ github: { apiUrl: 'ftp://x' } }, {})).toThrow();
  });
});

describe('several trackers', () => {
  it('files to every tracker whose variables are set, or to the listed kinds', async () => {
    const env = {
      GITHUB_TOKEN: 'ghp_x',
      GITHUB_REPO: 'acme/incidents',
      JIRA_URL: 'https://acme.atlassian.net',
      JIRA_EMAIL: 'bot@acme.example',
      JIRA_API_TOKEN: 't',
      JIRA_PROJECT: 'OPS',
      GITLAB_TOKEN: 'glpat-x',
      GITLAB_PROJECT: 'acme/ops',
    };
    expect(readTrackerConfig({}, env).kinds).toEqual(['github', 'jira', 'gitlab']);
    expect(readTrackerConfig({}, env).gitlab.url).toBe('https://gitlab.com');
    expect(readTrackerConfig({ kind: ['jira', 'github', 'jira'] }, env).kinds).toEqual(['jira', 'github']);
    const set = await createTracker({ kind: ['github', 'jira'] }, { ...deps, env });
    expect(set.name).toBe('github+jira');
    const { membersOf } = await import('./tracker-set.js');
    expect(membersOf(set).map((t) => t.name)).toEqual(['github', 'jira']);
    // A parsed configuration can be given back as is.
    expect((await createTracker(readTrackerConfig({}, env), { ...deps, env: {} })).name).toBe('github+jira+gitlab');
  });
});

describe('issueTitleOf', () => {
  it('falls back to the report heading, then the incident id, and caps the length', async () => {
    const { issueTitleOf } = await import('./issue-title.js');
    expect(issueTitleOf({ title: '  [INC-1]\n Disk  ', body: '# x', incidentId: 'i' })).toBe('[INC-1] Disk');
    expect(issueTitleOf({ title: '', body: 'intro\n# INC-42: MySQL lag\n## Summary', incidentId: 'i' })).toBe('INC-42: MySQL lag');
    expect(issueTitleOf({ title: ' ', body: 'no heading', incidentId: 'inc_9' })).toBe('Incident inc_9');
    expect(Array.from(issueTitleOf({ title: '🔥'.repeat(300), body: '', incidentId: 'i' }))).toHaveLength(256);
  });
});
