import { EventEmitter } from 'node:events';
import type { Incident, TimelineEntry } from '../incidents/incident.js';
import type { RoomMessage } from '../store/store.js';

/** What live views (the web UI's event stream) are told about, within one process. */
export interface LiveEventMap {
  message: [RoomMessage];
  'message-updated': [RoomMessage];
  timeline: [TimelineEntry];
  incident: [Incident];
}

export class LiveEvents extends EventEmitter<LiveEventMap> {
  constructor() {
    super();
    // Every open browser tab is a listener; the default cap of 10 would warn on a busy incident.
    this.setMaxListeners(1000);
  }
}
