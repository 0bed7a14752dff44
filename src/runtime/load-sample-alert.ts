import { readFile } from 'node:fs/promises';
import type { NormalisedAlert } from '../alerts/alert.js';
import { getAlertSource } from '../alerts/sources/index.js';

/** Reads an example payload file as its source would normalise it (for validate, the editor, simulate). */
export async function loadSampleAlert(source: string, path: string): Promise<NormalisedAlert> {
  const alertSource = getAlertSource(source);
  if (!alertSource) throw new Error(`no alert source "${source}"`);
  const payload = JSON.parse(await readFile(path, 'utf8')) as unknown;
  const [first] = alertSource.parse(payload, { headers: {}, receivedAt: new Date() }, {});
  if (!first) throw new Error(`${path} holds no alert`);
  return first;
}
