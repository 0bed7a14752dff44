import { hrefOf } from '../router.js';
import { ErrorNote } from './error-note.js';

/** A page that could not be loaded: why, and the way back to the list it was opened from. */
export function LoadFailed({ back, message }: { back: 'flows' | 'incidents'; message: string }) {
  return (
    <section>
      <p>
        <a href={hrefOf({ page: back })}>← {back === 'flows' ? 'Flows' : 'Incidents'}</a>
      </p>
      <ErrorNote message={message} />
    </section>
  );
}
