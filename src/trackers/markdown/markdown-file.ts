import { incidentReportUrl } from '../../incidents/incident-links.js';
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import type { FiledIssue, IssueRequest, IssueTracker } from '../issue-tracker.js';
import { TrackerError } from '../tracker-error.js';
import { partMarker, unwrapPart } from '../report-parts.js';
import { carryOverSections } from '../carry-over.js';
import { issueTitleOf } from '../issue-title.js';
import { slugify } from '../../util/slugify.js';

export interface MarkdownFileOptions {
  /** The folder reports are written to (`<SIDEKICK_DATA_DIR>/reports`). */
  dir: string;
  /** Where people reach Sidekick; the filed report links to its live version there. */
  publicUrl: string;
}

/**
 * The default tracker: one Markdown file per incident, `INC-<n>-<slug>.md`, needing no account.
 * Filing again rewrites the same file (found by its marker even if the title changed), keeping
 * what people wrote in its Summary and Action items.
 */
export class MarkdownFileTracker implements IssueTracker {
  readonly name = 'markdown';

  constructor(private readonly options: MarkdownFileOptions) {}

  async file(request: IssueRequest): Promise<FiledIssue> {
    const { dir } = this.options;
    try {
      await mkdir(dir, { recursive: true, mode: 0o750 });
      const previous = await this.findFile(request);
      const name = fileNameOf({ incidentId: request.incidentId, title: issueTitleOf(request) });
      const old = previous ? unwrapPart(await readFile(join(dir, previous), 'utf8'))?.content : undefined;
      const body = old ? carryOverSections(old, request.body) : request.body;
      const content = `${partMarker(request.incidentId, 0)}\n${body.endsWith('\n') ? body : `${body}\n`}`;
      // Write then rename, so a crash never leaves half a report behind.
      const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
      await writeFile(temp, content, { mode: 0o640 });
      await rename(temp, join(dir, name));
      if (previous && previous !== name) await unlink(join(dir, previous)).catch(() => undefined);
      return { tracker: this.name, id: name, url: incidentReportUrl(this.options.publicUrl, request.incidentId) };
    } catch (error) {
      if (error instanceof TrackerError) throw error;
      throw new TrackerError('TRACKER_WRITE_FAILED', `could not write the report to ${dir}: ${(error as Error).message}; check SIDEKICK_DATA_DIR is writable`, { transient: true });
    }
  }

  /** The file filed before for this incident: the one we were told of, or the one with its marker. */
  private async findFile(request: IssueRequest): Promise<string | undefined> {
    const marker = `${partMarker(request.incidentId, 0)}\n`;
    const known = request.existing?.tracker === this.name ? request.existing.id : undefined;
    const candidates = known && basename(known) === known && known.endsWith('.md') ? [known] : [];
    const names = (await readdir(this.options.dir)).filter((n) => n.endsWith('.md') && !n.startsWith('.'));
    for (const name of [...candidates, ...names]) {
      if ((await firstBytes(join(this.options.dir, name), marker.length)) === marker) return name;
    }
    return undefined;
  }
}

/** `INC-42-mysql-replication-lag.md` from a title like `[INC-42] MySQL replication lag`. */
export function fileNameOf(request: Pick<IssueRequest, 'incidentId' | 'title'>): string {
  const numbered = /\bINC-(\d{1,12})\b/i.exec(request.title);
  if (numbered) {
    const rest = request.title.replace(numbered[0], '').replace(/^[\s\]:)-]+/, '');
    return `INC-${numbered[1]}-${slugify(rest)}.md`;
  }
  return `incident-${slugify(request.incidentId, 40, 'x')}-${slugify(request.title)}.md`;
}

async function firstBytes(path: string, count: number): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
