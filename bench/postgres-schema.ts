import pg from 'pg';

/** Whether PostgreSQL answers at the URL, within 3 s, and why not. */
export async function probePostgres(url: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!isLoopbackUrl(url)) return { ok: false, reason: `the benchmark only talks to 127.0.0.1, not to ${redactUrl(url)}` };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `PostgreSQL at ${redactUrl(url)} is not reachable (${(error as Error).message})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a benchmark's schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^bench_[a-z0-9_]+$/.test(schema)) throw new Error(`refusing to drop ${schema}: not a benchmark schema`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/** Only 127.0.0.1, ::1 and localhost: the benchmark never loads a remote database. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
  } catch {
    return false;
  }
}
