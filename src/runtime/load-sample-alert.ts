import { readFile } from 'node:fs/promises';
import type { NormalisedAlert } from '../alerts/alert.js';
import { getAlertSource } from '../alerts/sources/index.js';

/** Reads an example payload file as its source would normalise it (for validate, the editor, simulate). */
export async function loadSampleAlert(source: string, path: string): Promise<NormalisedAlert> {
  const alertSource = getAlertSource(source);
  if (!alertSource) throw new Error(`no alert source "${source}"`);
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    // Not the parser's message, nor the parser's error as the cause: it quotes the file's first
    // characters, which may be a secret of the sample alert.
    // eslint-disable-next-line preserve-caught-error -- see above
    throw new Error(error instanceof SyntaxError ? `${path} is not JSON` : `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const [first] = alertSource.parse(payload, { headers: {}, receivedAt: new Date() }, {});
  if (!first) throw new Error(`${path} holds no alert`);
  return first;
}
