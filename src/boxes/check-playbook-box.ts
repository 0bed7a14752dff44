import type { BoxFinding, BoxInspection } from './box-type.js';
import { didYouMean } from '../flows/flow-problem.js';
import { checkTemplate } from '../templates/render.js';

/** A playbook box's own checks: the playbook exists, and its pages' templates read what the sample alert has. */
export function checkPlaybookBox({ settings, playbooks, sampleScope }: BoxInspection<{ playbook: string }>): BoxFinding[] {
  if (!playbooks) return [];
  const playbook = playbooks.get(settings.playbook);
  if (!playbook) {
    const known = playbooks.list().map((p) => p.id);
    return [{ code: 'FLOW_UNKNOWN_PLAYBOOK', message: `playbook "${settings.playbook}" is not in playbooks/${didYouMean(settings.playbook, known)}`, path: ['playbook'] }];
  }
  if (!sampleScope) return [];
  const findings: BoxFinding[] = [];
  for (const page of playbook.pages) {
    for (const content of page.content) {
      const source = content.kind === 'command' ? content.template : content.text;
      for (const problem of checkTemplate(source, sampleScope)) {
        findings.push({ code: 'FLOW_TEMPLATE', message: `playbook ${playbook.id} (${playbook.file}:${content.line}): ${problem.message}`, path: ['playbook'] });
      }
    }
  }
  return findings;
}
