/**
 * Slack channel names: lowercase letters, digits, `-` and `_`, at most 80 characters, validated
 * (not fixed) by conversations.create. We make them valid ourselves so creation never fails on a
 * title full of punctuation, accents or emoji.
 */

export const MAX_CHANNEL_NAME = 80;

/** `INC-1042: MySQL replication lag!` → `inc-1042-mysql-replication-lag`. */
export function toSlackChannelName(input: string): string {
  const name = input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents gone, letters kept: "Zürich" → "zurich"
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  const trimmed = name.slice(0, MAX_CHANNEL_NAME).replace(/[-_]+$/g, '');
  return trimmed === '' ? 'incident' : trimmed;
}

/** The `attempt`-th alternative when a name is taken: `name-2`, `name-3`, … still within 80 characters. */
export function suffixChannelName(name: string, attempt: number): string {
  if (attempt <= 1) return name;
  const suffix = `-${attempt}`;
  return name.slice(0, MAX_CHANNEL_NAME - suffix.length).replace(/[-_]+$/g, '') + suffix;
}
