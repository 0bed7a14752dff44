import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSTILE_VALUES } from './hostile-values.js';
import { quoteShell } from './escape-value.js';
import { renderTemplate } from './render-template.js';
import { shellContexts } from './shell-context.js';
import { TEMPLATE_ERROR_CODES, TemplateError } from './template-error.js';

// Commands run in an empty folder with an empty PATH: if a value ever escaped its quoting, the
// programs it names (rm, reboot, cat, sh) would not be found. `printf` is a bash builtin.
const sandbox = mkdtempSync(join(tmpdir(), 'sidekick-shell-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

function bash(command: string): { out: string; status: number | null; err: string } {
  const result = spawnSync('/bin/bash', ['-c', command], {
    cwd: sandbox,
    env: { PATH: join(sandbox, 'no-programs-here'), HOME: sandbox, LC_ALL: 'C.UTF-8' },
    encoding: 'utf8',
    timeout: 5000,
  });
  return { out: result.stdout, status: result.status, err: result.stderr };
}

/** Each place a value can land in a command, and what bash must print for value v. */
const PLACES: { name: string; template: string; expected: (v: string) => string }[] = [
  { name: 'unquoted', template: "printf '%s' {{ v }}", expected: (v) => v },
  { name: 'double quotes', template: `printf '%s' "{{ v }}"`, expected: (v) => v },
  { name: 'single quotes', template: `printf '%s' '{{ v }}'`, expected: (v) => v },
  { name: 'mixed "a-…-b"', template: `printf '%s' "a-{{v}}-b"`, expected: (v) => `a-${v}-b` },
  { name: "mixed 'a-…-b'", template: `printf '%s' 'a-{{v}}-b'`, expected: (v) => `a-${v}-b` },
  { name: '--opt=…', template: "printf '%s' --opt={{v}}", expected: (v) => `--opt=${v}` },
  { name: 'two values in one "…"', template: `printf '%s' "{{ v }} and {{ v }}"`, expected: (v) => `${v} and ${v}` },
  { name: '$(…) inside "…"', template: `printf '%s' "$(printf '%s' {{ v }})"`, expected: (v) => v.replace(/\n+$/, '') },
  { name: '"…" after an escaped quote', template: `printf '%s' "\\"{{ v }}"`, expected: (v) => `"${v}` },
  { name: 'a `| shell` value inside "…"', template: `printf '%s' "{{ v | shell }}"`, expected: (v) => quoteShell(v) },
  { name: 'a comment', template: "printf '%s' ok # {{ v }}", expected: () => 'ok' },
  { name: 'a comment, value after whitespace control', template: "printf '%s' ok # note\n{{- v }}", expected: () => 'ok' },
];

describe('values in playbook commands, run by bash -c', () => {
  for (const place of PLACES) {
    it(`prints every hostile value literally: ${place.name}`, () => {
      const failures: string[] = [];
      for (const value of HOSTILE_VALUES) {
        const command = renderTemplate(place.template, { v: value }, 'shell').text;
        const { out, status, err } = bash(command);
        if (status !== 0 || out !== place.expected(value)) {
          failures.push(`${JSON.stringify(value)} → ${JSON.stringify(command)} printed ${JSON.stringify(out)} (exit ${status}) ${err}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it('keeps `| raw` unescaped where the flow asks for it', () => {
    expect(renderTemplate(`echo "{{ v | raw }}"`, { v: '$HOME' }, 'shell').text).toBe('echo "$HOME"');
  });
});

describe('places a value cannot go', () => {
  const refused: [string, string][] = [
    ["printf '%s' $'{{ v }}'", "inside $'…' quoting"],
    ["printf '%s' `echo {{ v }}`", 'inside `…` command substitution'],
    ['printf \'%s\' "`echo {{ v }}`"', 'inside `…` command substitution'],
    ['cat <<EOF\n{{ v }}\nEOF', 'inside a heredoc'],
    ["cat <<-'END'\n\tline {{ v }}\n\tEND", 'inside a heredoc'],
    ['printf \'%s\' "${HOST:-{{ v }}}"', 'inside ${…}'],
    ["printf '%s' $(( {{ v }} + 1 ))", 'inside $((…))'],
    ["printf '%s' \\{{ v }}", 'right after a backslash'],
    ['printf \'%s\' "\\{{ v }}"', 'right after a backslash'],
    ['printf \'%s\' "${{ v }}"', 'right after a $'],
    ["printf '%s' ${{ v }}", 'right after a $'],
  ];
  for (const [template, why] of refused) {
    it(`refuses ${JSON.stringify(template)} (${why}) with TEMPLATE_SHELL_CONTEXT`, () => {
      let error: unknown;
      try {
        renderTemplate(template, { v: '$(reboot)' }, 'shell');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).code).toBe(TEMPLATE_ERROR_CODES.shellContext);
      expect((error as TemplateError).message).toContain(why);
      expect((error as TemplateError).offset).toBe(template.indexOf('{{'));
    });
  }

  it('reads on after a heredoc ends, a comment ends and quotes close', () => {
    const template = "cat <<EOF\nbody\nEOF\necho {{ a }} # {{ b }}\necho \"{{ c }}\" '{{ d }}' $'x' {{ e }}";
    const contexts = [...shellContexts(template).values()];
    expect(contexts).toEqual(['unquoted', 'comment', 'double', 'single', 'unquoted']);
  });

  it('takes Liquid tags as part of a word and their branches as written', () => {
    expect([...shellContexts(`echo "{% if x %}{{ a }}{% else %}'{{ b }}{% endif %}"`).values()]).toEqual(['double', 'double', 'double', 'double', 'double']);
    expect([...shellContexts('echo {% raw %}"{% endraw %}{{ a }}"').values()]).toEqual(['double']);
  });
});
