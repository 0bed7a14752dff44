/** A box failing for a reason a flow author can fix; the code is stable, the message says how. */
export class BoxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** False when retrying cannot help (bad settings, missing playbook). */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'BoxError';
  }
}
