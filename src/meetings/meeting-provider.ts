/** Creates a video meeting for an incident. Jitsi needs no account; Zoom uses Server-to-Server OAuth. */
export interface MeetingProvider {
  readonly name: string;
  create(request: { title: string; incidentId: string }, idempotencyKey: string): Promise<Meeting>;
}

export interface Meeting {
  provider: string;
  id: string;
  joinUrl: string;
}
