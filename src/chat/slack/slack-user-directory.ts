import type { SlackCaller } from './slack-caller.js';

interface SlackUser {
  id: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string; email?: string };
}

/**
 * People by id (users.info, cached) and the ids behind what flows write: `U…` ids, `@handles`,
 * email addresses, and `S…` user groups such as the on-call group.
 */
export class SlackUserDirectory {
  private readonly names = new Map<string, { name: string; at: number }>();
  private handles?: Promise<Map<string, string>>;

  constructor(
    private readonly caller: SlackCaller,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  /** The name people know someone by; their id when Slack cannot tell us. */
  async nameOf(userId: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.names.get(userId);
    if (cached && now - cached.at < (this.options.ttlMs ?? 3_600_000)) return cached.name;
    let name = userId;
    try {
      const answer = await this.caller.call<{ user: SlackUser }>('users.info', { user: userId });
      name = displayName(answer.user) ?? userId;
    } catch {
      // An unknown or hidden user still shows up, by id; the cache stops us asking every time.
    }
    this.remember(userId, name, now);
    return name;
  }

  /** Records a name learnt elsewhere (an event or click payload) so it needs no call. */
  remember(userId: string, name: string, at = (this.options.now ?? Date.now)()): void {
    if (this.names.size >= (this.options.maxEntries ?? 10_000)) this.names.delete(this.names.keys().next().value!);
    this.names.set(userId, { name, at });
  }

  /** Turns flow-written people into user ids; unknown ones are returned in `unknown`. */
  async resolvePeople(people: string[]): Promise<{ ids: string[]; unknown: string[] }> {
    const ids = new Set<string>();
    const unknown: string[] = [];
    for (const raw of people) {
      const person = raw.trim();
      try {
        if (/^[UW][A-Z0-9]{2,}$/.test(person)) ids.add(person);
        else if (/^S[A-Z0-9]{2,}$/.test(person)) {
          const group = await this.caller.call<{ users?: string[] }>('usergroups.users.list', { usergroup: person });
          for (const id of group.users ?? []) ids.add(id);
        } else if (person.includes('@') && !person.startsWith('@')) {
          const found = await this.caller.call<{ user: SlackUser }>('users.lookupByEmail', { email: person });
          ids.add(found.user.id);
        } else {
          const id = (await this.handleIndex()).get(person.replace(/^@/, '').toLowerCase());
          if (id) ids.add(id);
          else unknown.push(person);
        }
      } catch {
        unknown.push(person);
      }
    }
    return { ids: [...ids], unknown };
  }

  /** Handles and display names to ids, from users.list once per process (Tier 2: not per call). */
  private handleIndex(): Promise<Map<string, string>> {
    this.handles ??= (async () => {
      const index = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await this.caller.call<{ members?: SlackUser[]; response_metadata?: { next_cursor?: string } }>('users.list', {
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        for (const user of page.members ?? []) {
          if (user.deleted) continue;
          for (const key of [user.name, user.profile?.display_name]) if (key) index.set(key.toLowerCase(), user.id);
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return index;
    })().catch((error: unknown) => {
      this.handles = undefined;
      throw error;
    });
    return this.handles;
  }
}

function displayName(user: SlackUser | undefined): string | undefined {
  if (!user) return undefined;
  return user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || undefined;
}
