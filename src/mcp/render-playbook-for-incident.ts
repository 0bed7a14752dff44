import type { Alert } from '../alerts/alert.js';
import type { Incident } from '../incidents/incident.js';
import type { Playbook } from '../playbooks/playbook.js';
import { buildScope } from '../flows/build-scope.js';
import { renderTemplate, TemplateError } from '../templates/render.js';

/**
 * A playbook as the incident's responders see it in chat: every page, its text and its commands
 * filled from the incident's first alert and shell-quoted, and the choices that lead on.
 */
export function renderPlaybookForIncident(playbook: Playbook, incident: Incident, alert: Alert | undefined, publicUrl: string, now: Date) {
  // The scope a flow's playbook box would see, minus the run's own boxes and variables.
  const scope = buildScope({ flow: { id: 'mcp', name: 'mcp', vars: {} }, incident, alert, tasks: [], now, publicUrl });
  return {
    id: playbook.id,
    title: playbook.title,
    pages: playbook.pages.map((page) => ({
      id: page.id,
      title: page.title,
      content: page.content.map((content) => {
        if (content.kind === 'text') return { text: render(content.text, scope, 'text') };
        return { command: render(content.template, scope, 'shell') };
      }),
      choices: page.choices.map((choice) => ({ label: choice.label, goesTo: choice.to })),
    })),
  };
}

function render(source: string, scope: Record<string, unknown>, mode: 'text' | 'shell'): string {
  try {
    return renderTemplate(source, scope, mode).text;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return `⟨template error: ${error.message}⟩`;
  }
}
