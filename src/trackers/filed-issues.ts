import type { Store } from '../store/store.js';
import type { FiledIssue } from './issue-tracker.js';

/** The part of the store a tracker keeps its filed issues in (recorded effects, keyed per tracker). */
export type FiledIssueStore = Pick<Store, 'getEffect' | 'putEffect'>;

/** The issue remembered under `key`, if one was filed before (a crash after creating it leaves it here). */
export async function recallFiled(store: FiledIssueStore | undefined, key: string | undefined): Promise<FiledIssue | undefined> {
  return key ? ((await store?.getEffect(key)) as FiledIssue | undefined) : undefined;
}

/** Remembers the issue under `key` so filing again edits it, and returns it. */
export async function rememberFiled(store: FiledIssueStore | undefined, key: string, filed: FiledIssue, now: Date): Promise<FiledIssue> {
  await store?.putEffect(key, filed, now.toISOString());
  return filed;
}
