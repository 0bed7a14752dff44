import type { BoxType } from './box-type.js';
import { postBox } from './post.js';
import { openChannelBox } from './open-channel.js';
import { meetingBox } from './meeting.js';
import { playbookBox } from './playbook.js';
import { askBox } from './ask.js';
import { waitBox } from './wait.js';
import { directMessageBox } from './direct-message.js';
import { httpRequestBox } from './http-request.js';
import { conditionBox } from './condition.js';
import { setVariableBox } from './set-variable.js';
import { incidentStatusBox } from './incident-status.js';
import { reportBox } from './report.js';
import { fileIssueBox } from './file-issue.js';
import { remindBox } from './remind.js';
import { graphBox } from './graph.js';
import { statusReminderBox } from './status-reminder.js';
import { setSeverityBox } from './set-severity.js';

// The registry holds box types of every settings type; `BoxType<unknown>` would not accept them
// (settings are read in `run`, so the parameter is contravariant).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type AnyBoxType = BoxType<any>;

/** Every box type, by its `type` name. A new box is one new file plus one line here. */
const boxTypes = new Map<string, AnyBoxType>(
  [
    postBox,
    openChannelBox,
    meetingBox,
    playbookBox,
    askBox,
    waitBox,
    directMessageBox,
    httpRequestBox,
    conditionBox,
    setVariableBox,
    incidentStatusBox,
    reportBox,
    fileIssueBox,
    remindBox,
    graphBox,
    statusReminderBox,
    setSeverityBox,
  ].map((box) => [box.type, box as AnyBoxType]),
);

/** The box type for a name, or undefined. */
export function getBoxType(type: string): AnyBoxType | undefined {
  return boxTypes.get(type);
}

export function boxTypeNames(): string[] {
  return [...boxTypes.keys()];
}

export function allBoxTypes(): AnyBoxType[] {
  return [...boxTypes.values()];
}
