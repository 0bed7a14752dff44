import pg from 'pg';

/** Where the test PostgreSQL usually is: the local server with trust auth, as `postgres` or as `root`. */
const DEFAULT_URLS = ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

/**
 * The addresses to try for the test PostgreSQL: `SIDEKICK_TEST_DATABASE_URL` when set (the one
 * variable every test reads), else the local defaults.
 */
export function testDatabaseUrls(): string[] {
  const configured = process.env.SIDEKICK_TEST_DATABASE_URL;
  return configured ? [configured] : DEFAULT_URLS;
}

let found: Promise<string | undefined> | undefined;

/** The first test PostgreSQL address that answers, or undefined; asked once per test file. */
export function findTestDatabase(): Promise<string | undefined> {
  found ??= (async () => {
    for (const url of testDatabaseUrls()) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
      try {
        await client.connect();
        await client.query('select 1');
        return url;
      } catch {
        // try the next address
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    return undefined;
  })();
  return found;
}

/**
 * The test PostgreSQL's address for `suite`, or undefined with a loud warning, so a skipped
 * PostgreSQL half of a suite is never silent.
 */
export async function requireTestDatabase(suite: string): Promise<string | undefined> {
  const url = await findTestDatabase();
  if (!url) {
    console.warn(
      `\n!!! PostgreSQL at ${testDatabaseUrls().join(' or ')} is unreachable: the PostgreSQL tests of "${suite}" are SKIPPED.\n` +
        '!!! Start PostgreSQL (trust auth, database "test"), set SIDEKICK_TEST_DATABASE_URL, or set SIDEKICK_TEST_DIALECTS=sqlite to silence this.\n',
    );
  }
  return url;
}
