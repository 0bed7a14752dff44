import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HOSTILE_VALUES } from './hostile-values.js';
import { renderTemplate, TEMPLATE_LIMITS, TemplateError, TRUNCATED_MARKER } from './liquid-engine.js';
import type { EscapeMode } from './render.js';

function scopeWith(raw: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    alert: {
      title: 'Replication lag on db-7',
      severity: 'critical',
      startsAt: '2026-01-01T04:00:00Z',
      labels: { 'kube-namespace': 'payments', team: 'db' },
      links: [{ title: 'Dashboard', url: 'https://grafana.example/d/db?var-host=db-7&x=<1>' }],
      raw: { host: 'db-7.example.com', port: 3306, tags: ['db', 'prod'], secret: 's3cr3t', nothing: null, ...raw },
    },
    incident: { number: 42, title: 'Replication lag', createdAt: '2026-01-01T04:00:00Z' },
    vars: { cluster: 'eu-1' },
    boxes: { meet: { url: 'https://meet.example/abc' } },
    now: new Date('2026-01-01T04:31:00Z'),
  };
}

function render(source: string, mode: EscapeMode = 'plain', raw?: Record<string, unknown>) {
  return renderTemplate(source, scopeWith(raw), mode);
}

function renderError(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('escaping by mode', () => {
  it('shell-quotes every hostile value into one argument a real shell sees unchanged', () => {
    for (const value of HOSTILE_VALUES) {
      const { text } = render("printf '%s\\0' {{ alert.raw.value }}", 'shell', { value });
      const seen = execFileSync('/bin/sh', ['-c', text], { env: { PATH: '/usr/bin:/bin' } });
      expect(seen.equals(Buffer.from(`${value}\0`, 'utf8')), `value ${JSON.stringify(value)} → ${text}`).toBe(true);
    }
  });

  it('shell-quotes each of several values separately', () => {
    const { text } = render("printf '%s\\0' {{ alert.raw.a }} {{ alert.raw.b }}", 'shell', { a: "x'; reboot", b: '$(id)' });
    const seen = execFileSync('/bin/sh', ['-c', text]).toString('utf8');
    expect(seen).toBe("x'; reboot\0$(id)\0");
  });

  it('keeps plain words bare and the template text as written', () => {
    expect(render('mysql -h {{ alert.raw.host }} -P {{ alert.raw.port }} -e "SHOW SLAVE STATUS"', 'shell').text).toBe('mysql -h db-7.example.com -P 3306 -e "SHOW SLAVE STATUS"');
  });

  it('escapes chat text so a value cannot mention everyone or fake a link', () => {
    for (const value of HOSTILE_VALUES) {
      const { text } = render('Host: {{ alert.raw.value }}!', 'text', { value });
      expect(text.slice('Host: '.length, -1)).not.toMatch(/[<>]/);
    }
    expect(render('{{ alert.raw.v }}', 'text', { v: '<!channel> & <https://evil|ok>' }).text).toBe('&lt;!channel&gt; &amp; &lt;https://evil|ok&gt;');
  });

  it('percent-encodes values in url mode', () => {
    expect(render('https://grafana.example/d/db?var-host={{ alert.raw.v }}', 'url', { v: 'a b&c=d#e/f' }).text).toBe('https://grafana.example/d/db?var-host=a%20b%26c%3Dd%23e%2Ff');
  });

  it('leaves plain values as they are', () => {
    expect(render('{{ alert.raw.v }}', 'plain', { v: '<b>$(x)</b>' }).text).toBe('<b>$(x)</b>');
  });

  it('escapes the same cached template differently per mode', () => {
    const source = 'x {{ alert.raw.v }}';
    const raw = { v: 'a <b>' };
    expect(render(source, 'shell', raw).text).toBe("x 'a <b>'");
    expect(render(source, 'text', raw).text).toBe('x a &lt;b&gt;');
    expect(render(source, 'url', raw).text).toBe('x a%20%3Cb%3E');
    expect(render(source, 'plain', raw).text).toBe('x a <b>');
  });

  it('opts out only with a trailing raw', () => {
    expect(render('{{ alert.raw.v | raw }}', 'shell', { v: '$(id)' }).text).toBe('$(id)');
    expect(render('{{ alert.raw.v | raw | append: alert.raw.w }}', 'shell', { v: 'a', w: ' $(id)' }).text).toBe("'a $(id)'");
    expect(render('{{ alert.raw.v | raw }}', 'text', { v: '<!here>' }).text).toBe('<!here>');
  });

  it('escapes echo, also inside a liquid tag', () => {
    expect(render('{% echo alert.raw.v %}', 'shell', { v: '; reboot' }).text).toBe("'; reboot'");
    expect(render('{% liquid\necho alert.raw.v\n%}', 'text', { v: '<!channel>' }).text).toBe('&lt;!channel&gt;');
  });

  it('escapes outputs inside if, for, case, unless and capture', () => {
    const raw = { v: '; reboot' };
    expect(render('{% if true %}{{ alert.raw.v }}{% endif %}', 'shell', raw).text).toBe("'; reboot'");
    expect(render('{% for t in alert.raw.tags %}{{ alert.raw.v }}{% endfor %}', 'shell', raw).text).toBe("'; reboot''; reboot'");
    expect(render('{% case 1 %}{% when 1 %}{{ alert.raw.v }}{% endcase %}', 'shell', raw).text).toBe("'; reboot'");
    expect(render('{% unless false %}{{ alert.raw.v }}{% endunless %}', 'shell', raw).text).toBe("'; reboot'");
    // Captured text is already escaped; printing it again needs raw, or it is quoted twice.
    expect(render('{% capture c %}{{ alert.raw.v }}{% endcapture %}{{ c | raw }}', 'shell', raw).text).toBe("'; reboot'");
  });

  it('does not escape twice when the output ends in its own escaping filter', () => {
    expect(render('{{ alert.raw.v | shell }}', 'shell', { v: 'a b' }).text).toBe("'a b'");
    expect(render('{{ alert.raw.v | url }}', 'url', { v: 'a b' }).text).toBe('a%20b');
    expect(render('`{{ alert.raw.v | shell }}`', 'text', { v: "it's <x>" }).text).toBe("`'it'\\''s &lt;x&gt;'`");
    expect(render('curl https://x/?q={{ alert.raw.v | url }}', 'shell', { v: 'a b;c' }).text).toBe('curl https://x/?q=a%20b%3Bc');
    // URL-encoding leaves `~`, which a shell expands at the start of a word: still shell-quoted.
    expect(render('ls {{ alert.raw.v | url }}', 'shell', { v: '~root' }).text).toBe("ls '~root'");
  });
});

describe('values are rendered once, never evaluated', () => {
  it.each(['{{ 7*7 }}', '{{ alert.raw.secret }}', '{% raw %}{{ alert.raw.secret }}{% endraw %}', '{% include "/etc/passwd" %}'])('shows %j literally', (value) => {
    const plain = render('{{ alert.raw.v }}', 'plain', { v: value });
    expect(plain.text).toBe(value);
    expect(plain.text).not.toContain('s3cr3t');
    expect(render('{{ alert.raw.v }}', 'text', { v: value }).text).toBe(value);
  });

  it('does not evaluate a value through assign, capture or filters', () => {
    const v = '{{ alert.raw.secret }}';
    const text = render('{% assign a = alert.raw.v %}{% capture c %}{{ a | raw }}{% endcapture %}{{ c | raw | upcase }}', 'plain', { v }).text;
    expect(text).toBe(v.toUpperCase());
  });
});

describe('missing values', () => {
  it('render as a marker and are listed, never thrown', () => {
    const result = render('ssh {{ alert.raw.hostname }} -p {{ alert.raw.port }}', 'plain');
    expect(result.text).toBe('ssh ⟨missing: alert.raw.hostname⟩ -p 3306');
    expect(result.missing).toEqual(['alert.raw.hostname']);
  });

  it('keep the path as written, brackets included, once each', () => {
    const result = render('{{ alert.labels["kube-ns"] }} {{ alert.raw.tags[5] }} {{ nope.x }} {{ alert.labels["kube-ns"] }}');
    expect(result.text).toBe('⟨missing: alert.labels["kube-ns"]⟩ ⟨missing: alert.raw.tags[5]⟩ ⟨missing: nope.x⟩ ⟨missing: alert.labels["kube-ns"]⟩');
    expect(result.missing).toEqual(['alert.labels["kube-ns"]', 'alert.raw.tags[5]', 'nope.x']);
  });

  it('count null as missing', () => {
    expect(render('{{ alert.raw.nothing }}').missing).toEqual(['alert.raw.nothing']);
  });

  it('are escaped like any value, so a command stays harmless', () => {
    expect(render('ssh {{ alert.raw.x }}', 'shell').text).toBe("ssh '⟨missing: alert.raw.x⟩'");
    expect(render('{{ alert.raw.x | upcase }}', 'text').text).toBe('⟨missing: alert.raw.x⟩');
  });

  it('give way to default', () => {
    const result = render('{{ alert.raw.dbport | default: 3306 }} {{ alert.raw.nothing | default: "none" }} {{ alert.raw.port | default: 1 }}');
    expect(result.text).toBe('3306 none 3306');
    expect(result.missing).toEqual([]);
  });

  it('are shown when a filter finds nothing', () => {
    const result = render(`{{ alert.raw | jsonpath: '$.nope' }} {{ alert.raw.tags | where: "x" | first }}`);
    expect(result.text).toBe(`⟨missing: alert.raw | jsonpath: '$.nope'⟩ ⟨missing: alert.raw.tags | where: "x" | first⟩`);
    expect(result.missing).toHaveLength(2);
  });

  it('do not mark conditions or loops, which read absence as false or empty', () => {
    const result = render('{% if alert.raw.nope %}yes{% else %}no{% endif %}[{% for x in alert.raw.none %}{{ x }}{% endfor %}]');
    expect(result).toMatchObject({ text: 'no[]', missing: [] });
  });

  it('hide JavaScript internals of the scope', () => {
    const result = render('{{ alert.raw.constructor }}{{ alert.raw.__proto__ }}{{ alert.raw.toString }}{{ now.getTime }}{{ alert.raw.tags.constructor }}');
    expect(result.missing).toEqual(['alert.raw.constructor', 'alert.raw.__proto__', 'alert.raw.toString', 'now.getTime', 'alert.raw.tags.constructor']);
  });
});

describe('sources', () => {
  it('name where each interpolated value came from, unescaped', () => {
    const result = render('ssh {{ alert.raw.host }} -p {{ alert.raw.port | default: 22 }} {{ alert.raw.v | shell }}', 'shell', { v: 'a b' });
    expect(result.sources).toEqual([
      { path: 'alert.raw.host', value: 'db-7.example.com' },
      { path: 'alert.raw.port | default: 22', value: '3306' },
      { path: 'alert.raw.v', value: "'a b'" },
    ]);
  });

  it('leave out defaults, literals and missing values', () => {
    const result = render('{{ alert.raw.dbport | default: 3306 }} {{ "x" }} {{ alert.raw.gone }}');
    expect(result.sources).toEqual([]);
  });

  it('list a value once however often it is shown', () => {
    expect(render('{{ alert.raw.host }}{{ alert.raw.host }}').sources).toHaveLength(1);
  });
});

describe('filters and paths', () => {
  it('read dotted paths, indices and bracketed keys', () => {
    expect(render('{{ alert.raw.tags[0] }} {{ alert.raw.tags[-1] }} {{ alert.labels["kube-namespace"] }} {{ alert.links[0].title }} {{ boxes.meet.url }} {{ vars.cluster }}').text).toBe(
      'db prod payments Dashboard https://meet.example/abc eu-1',
    );
  });

  it('select with JSONPath, first match or all', () => {
    expect(render(`{{ alert.raw | jsonpath: '$.tags[?@ == "prod"]' }}`).text).toBe('prod');
    expect(render(`{{ alert.raw | jsonpath_all: '$.tags[*]' | join: ", " }}`).text).toBe('db, prod');
    expect(render(`{{ alert.raw | jsonpath: '$.deep.list[1].name' }}`, 'plain', { deep: { list: [{}, { name: 'n' }] } }).text).toBe('n');
  });

  it('fails a malformed JSONPath without echoing it', () => {
    const error = renderError(() => render('{{ alert.raw | jsonpath: alert.raw.expr }}', 'plain', { expr: '$[secret-ish' }));
    expect(error.code).toBe('TEMPLATE_RENDER');
    expect(error.message).not.toContain('secret-ish');
  });

  it('writes JSON, objects and arrays as JSON', () => {
    expect(render('{{ alert.raw.tags | json }}').text).toBe('["db","prod"]');
    expect(render('{{ alert.raw.tags }}').text).toBe('["db","prod"]');
    expect(render('{{ alert.raw.o }}', 'plain', { o: { a: 1 } }).text).toBe('{"a":1}');
  });

  it('formats durations and ISO dates in UTC', () => {
    expect(render('{{ incident.createdAt | duration: now }}').text).toBe('31 min');
    expect(render('{{ alert.raw.ms | duration }}', 'plain', { ms: 7_500_000 }).text).toBe('2 h 5 min');
    expect(render('{{ alert.raw.d | duration }}', 'plain', { d: 'PT31M' }).text).toBe('31 min');
    expect(render('{{ "2026-01-01T06:31:00+02:00" | date: "%Y-%m-%d %H:%M" }}').text).toBe('2026-01-01 04:31');
    expect(render('{{ now | date: "%H:%M" }}').text).toBe('04:31');
    expect(render('{{ alert.raw.v | duration }}', 'plain', { v: 'soon' }).missing).toEqual(['alert.raw.v | duration']);
  });

  it('keeps standard Liquid filters', () => {
    expect(render('{{ alert.raw.tags | size }} {{ alert.title | upcase | truncate: 8 }} {{ alert.raw.port | plus: 1 }}').text).toBe('2 REPLI... 3307');
  });
});

describe('what templates cannot do', () => {
  it.each([
    "{% include '/etc/passwd' %}",
    '{% render "/etc/passwd" %}',
    "{% layout '/etc/passwd' %}x{% endlayout %}",
    '{% liquid\ninclude "/etc/passwd"\n%}',
    '{% cycle alert.raw.host, "b" %}',
    '{% tablerow t in alert.raw.tags %}{{ t }}{% endtablerow %}',
  ])('refuses %j at parse time', (source) => {
    const error = renderError(() => render(source));
    expect(error.code).toBe('TEMPLATE_PARSE');
    expect(error.message).toMatch(/tag is not available/);
    expect(error.message).not.toMatch(/root:/);
  });

  it('refuses unknown filters', () => {
    const error = renderError(() => render('x {{ alert.raw.host | exec: "id" }}'));
    expect(error).toMatchObject({ code: 'TEMPLATE_PARSE', offset: 2 });
  });

  it('cannot change the caller’s scope', () => {
    const scope = scopeWith();
    renderTemplate('{% increment alert %}{% decrement vars %}{% assign incident = 1 %}', scope, 'plain');
    expect(scope.alert).toEqual(scopeWith().alert);
    expect(scope.vars).toEqual({ cluster: 'eu-1' });
  });
});

describe('limits', () => {
  const big = 'x'.repeat(1_000_000);

  it('cuts long chat text at the cap and says so', () => {
    const result = render('{{ alert.raw.big }}', 'text', { big });
    expect(result.text).toHaveLength(TEMPLATE_LIMITS.maxOutputChars + TRUNCATED_MARKER.length);
    expect(result.text.endsWith(TRUNCATED_MARKER)).toBe(true);
    expect(result).toMatchObject({ truncated: true });
  });

  it('never cuts a surrogate pair in half', () => {
    const result = render('x{{ alert.raw.big }}', 'plain', { big: '🔥'.repeat(60_000) });
    const body = result.text.slice(0, -TRUNCATED_MARKER.length);
    expect(body).toHaveLength(TEMPLATE_LIMITS.maxOutputChars - 1);
    expect(body.endsWith('🔥')).toBe(true);
  });

  it('refuses a command longer than the cap rather than cutting it', () => {
    expect(renderError(() => render('cat {{ alert.raw.big }}', 'shell', { big })).code).toBe('TEMPLATE_OUTPUT_TOO_LONG');
  });

  it('still reads a 1 MB value with filters', () => {
    expect(render('{{ alert.raw.big | size }} {{ alert.raw | jsonpath: "$.big" | slice: 0, 3 }}', 'plain', { big }).text).toBe('1000000 xxx');
  });

  it('stops a loop that writes without end', () => {
    // Long lines reach the cap in a few iterations, well before the time limit even on a slow machine.
    const result = render('{% for i in (1..1000) %}{{ alert.raw.line }}{% endfor %}', 'text', { line: 'y'.repeat(5000) });
    expect(result).toMatchObject({ truncated: true });
  });

  it('stops a huge range before building it, also one sized by the payload', () => {
    expect(renderError(() => render('{% for i in (1..1000000000) %}{% endfor %}')).code).toBe('TEMPLATE_LIMIT');
    expect(renderError(() => render('{% for i in (1..alert.raw.n) %}{% endfor %}', 'plain', { n: 1e12 })).code).toBe('TEMPLATE_LIMIT');
  });

  it('stops a loop that runs too long without writing', () => {
    // 9 million iterations fit the allocation budget, so it is the time limit that stops them.
    const error = renderError(() => render('{% for a in (1..3000) %}{% for b in (1..3000) %}{% endfor %}{% endfor %}'));
    expect(error).toMatchObject({ code: 'TEMPLATE_LIMIT', message: expect.stringMatching(/render limit/) });
  });

  it('stops capture from growing without end', () => {
    const source = '{% capture c %}{% for i in (1..100000) %}{{ alert.raw.big | raw }}{% endfor %}{% endcapture %}{{ c | size }}';
    expect(renderError(() => render(source, 'plain', { big })).code).toBe('TEMPLATE_LIMIT');
  });

  it('refuses a template source past the parse limit', () => {
    expect(renderError(() => render('x'.repeat(TEMPLATE_LIMITS.parseChars + 1))).code).toBe('TEMPLATE_LIMIT');
  });
});
