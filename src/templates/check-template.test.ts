import { describe, expect, it } from 'vitest';
import { checkTemplate, formatPath, variablesOf } from './check-template.js';

const sample = {
  alert: { title: 'Lag', labels: { 'kube-namespace': 'payments' }, raw: { host: 'db-7', tags: ['db'] } },
  incident: { number: 1 },
  vars: {},
  boxes: { meet: { url: 'https://meet.example/x' } },
  now: '2026-01-01T04:31:00Z',
};

describe('checkTemplate', () => {
  it('accepts a sound template', () => {
    expect(checkTemplate('ssh {{ alert.raw.host }} {{ alert.raw.port | default: 22 }}', sample)).toEqual([]);
  });

  it('reports a parse error with its offset', () => {
    const [problem, ...rest] = checkTemplate('Host: {% if alert.raw.host %}yes');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ offset: 6, message: expect.stringMatching(/TEMPLATE_PARSE.*not closed/) });
  });

  it('reports an unknown filter with its offset', () => {
    expect(checkTemplate('ok {{ alert.title | upcase | shellexec }}')).toEqual([{ message: expect.stringMatching(/undefined filter: shellexec/), offset: 3 }]);
  });

  it('reports forbidden tags', () => {
    expect(checkTemplate("{% include '/etc/passwd' %}")).toEqual([{ message: expect.stringMatching(/include %\} tag is not available/), offset: 0 }]);
  });

  it('reports a malformed JSONPath without a sample', () => {
    const problems = checkTemplate(`x {{ alert.raw | jsonpath: '$.tags[' }} {{ alert.raw | jsonpath_all: '$..ok' }}`);
    expect(problems).toEqual([{ message: expect.stringMatching(/^invalid JSONPath "\$\.tags\["/), offset: 2 }]);
    expect(checkTemplate('{{ alert.raw | jsonpath }}')).toEqual([{ message: expect.stringMatching(/needs an expression/), offset: 0 }]);
  });

  it('reports paths missing in the sample, but not those with a default', () => {
    const problems = checkTemplate('{{ alert.raw.hostname }} {{ alert.raw.port | default: 3306 }} {{ alert.labels["team"] }}', sample);
    expect(problems).toEqual([
      { message: expect.stringMatching(/alert.raw.hostname is missing in the sample/), offset: 0, path: 'alert.raw.hostname' },
      { message: expect.stringMatching(/is missing/), offset: 62, path: 'alert.labels["team"]' },
    ]);
  });

  it('reports unknown variable roots once, also in conditions, instead of each missing path', () => {
    const problems = checkTemplate('{% if alrt.severity == "critical" %}x{% endif %} {{ alrt.title }}', sample);
    expect(problems).toEqual([{ message: expect.stringMatching(/unknown variable "alrt"; the scope has alert, incident/), offset: 6, path: 'alrt' }]);
  });

  it('does not mistake loop variables and assignments for unknown roots', () => {
    expect(checkTemplate('{% assign h = alert.raw.host %}{% for t in alert.raw.tags %}{{ t }}{{ forloop.index }}{% endfor %}{{ h }}', sample)).toEqual([]);
  });

  it('reports every render failure, past the first one', () => {
    const problems = checkTemplate('{{ alert.raw | jsonpath: alert.title }} {{ alert.raw.gone }}', sample);
    expect(problems.map((p) => p.offset)).toEqual([0, 40]);
    expect(problems[0]?.message).toMatch(/TEMPLATE_RENDER/);
  });

  it('reports a template that breaks a limit with the sample', () => {
    expect(checkTemplate('{% for i in (1..1000000000) %}{% endfor %}', sample)).toEqual([{ message: expect.stringMatching(/TEMPLATE_LIMIT/), offset: 0 }]);
  });

  it('survives hostile sample values', () => {
    const hostile = { ...sample, alert: { ...sample.alert, raw: { host: '{{ alert.raw.nope }}{% include "/etc/passwd" %}' } } };
    expect(checkTemplate('{{ alert.raw.host }}', hostile)).toEqual([]);
  });
});

describe('variablesOf', () => {
  it('lists the scope paths a template reads, written as authors write them', () => {
    const source =
      '{{ alert.raw.host }} {% for t in alert.raw.tags %}{{ t.name }}{% endfor %}{{ alert.labels["kube-namespace"] }}' +
      '{% assign h = vars.x %}{{ h }}{{ alert.raw.tags[0] }}{% if incident.status == "open" %}{{ boxes.meet.url }}{% endif %}{{ alert.raw.host }}';
    expect(variablesOf(source)).toEqual(['alert.raw.host', 'alert.raw.tags', 'alert.labels["kube-namespace"]', 'alert.raw.tags[0]', 'vars.x', 'incident.status', 'boxes.meet.url']);
  });

  it('reads nothing from an unparsable template', () => {
    expect(variablesOf('{{ alert.raw.host')).toEqual([]);
    expect(variablesOf('{% include "x" %}')).toEqual([]);
  });
});

describe('formatPath', () => {
  it('brackets keys that are not plain names and nested paths', () => {
    expect(formatPath(['alert', 'labels', 'a.b', 0, ['vars', 'key']])).toBe('alert.labels["a.b"][0][vars.key]');
  });
});
