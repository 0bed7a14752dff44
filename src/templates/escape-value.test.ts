import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encodeUrlValue, escapeChatText, escapeValue, quoteShell } from './escape-value.js';
import { HOSTILE_VALUES } from './hostile-values.js';

/** Runs a command line in a real POSIX shell; each argument comes back followed by NUL. */
function argumentsSeenByShell(commandLine: string): Buffer {
  return execFileSync('/bin/sh', ['-c', commandLine], { env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' } });
}

describe('quoteShell', () => {
  it.each(HOSTILE_VALUES)('hands %j to the shell as exactly one argument, byte for byte', (value) => {
    const seen = argumentsSeenByShell(`printf '%s\\0' ${quoteShell(value)}`);
    expect(seen.equals(Buffer.from(`${value}\0`, 'utf8'))).toBe(true);
  });

  it('keeps several values apart, each one argument', () => {
    const values = ['; rm -rf /', "it's", '', 'a\nb', '$(reboot)'];
    const seen = argumentsSeenByShell(`printf '%s\\0' ${values.map(quoteShell).join(' ')}`);
    expect(seen.toString('utf8').split('\0').slice(0, -1)).toEqual(values);
  });

  it('survives a long value', () => {
    const value = `${"x'; $(reboot) `".repeat(3000)}end`;
    const seen = argumentsSeenByShell(`printf '%s\\0' ${quoteShell(value)}`);
    expect(seen.toString('utf8')).toBe(`${value}\0`);
  });

  it.each([
    // Safe plain words stay bare so commands read naturally.
    ['db-7.example.com', 'db-7.example.com'],
    ['3306', '3306'],
    ['user@host:/var/log/x,y%2B', 'user@host:/var/log/x,y%2B'],
    // What a shell would read differently bare is quoted.
    ['', "''"],
    ['-rf', "'-rf'"],
    ['PATH=/tmp', "'PATH=/tmp'"],
    ['~root', "'~root'"],
    ['*', "'*'"],
    ["it's", "'it'\\''s'"],
    ['ü', "'ü'"],
    // NUL is dropped: no argument can carry it.
    ['a\0b', 'ab'],
    ['\0;\0', "';'"],
  ])('writes %j as %s', (value, quoted) => {
    expect(quoteShell(value)).toBe(quoted);
  });
});

describe('encodeUrlValue', () => {
  it.each(HOSTILE_VALUES)('encodes %j to unreserved characters and back', (value) => {
    const encoded = encodeUrlValue(value);
    expect(encoded).toMatch(/^[A-Za-z0-9\-_.~%]*$/);
    expect(decodeURIComponent(encoded)).toBe(value);
  });

  it("also encodes !'()* that encodeURIComponent leaves", () => {
    expect(encodeUrlValue("!'()*")).toBe('%21%27%28%29%2A');
  });

  it('does not throw on a lone surrogate', () => {
    expect(encodeUrlValue('a\uD800b')).toBe('a%EF%BF%BDb');
  });
});

describe('escapeChatText', () => {
  it.each(HOSTILE_VALUES)('leaves no markup in %j and loses nothing', (value) => {
    const escaped = escapeChatText(value);
    expect(escaped).not.toMatch(/[<>]/);
    expect(escaped.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')).toBe(value);
  });

  it('stops mentions and fake links', () => {
    expect(escapeChatText('<!channel> <https://evil|ok>')).toBe('&lt;!channel&gt; &lt;https://evil|ok&gt;');
  });
});

describe('escapeValue', () => {
  it('picks the escaping by mode and leaves plain alone', () => {
    const value = "<a href='x'>&";
    expect(escapeValue(value, 'shell')).toBe(quoteShell(value));
    expect(escapeValue(value, 'url')).toBe(encodeUrlValue(value));
    expect(escapeValue(value, 'text')).toBe(escapeChatText(value));
    expect(escapeValue(value, 'plain')).toBe(value);
  });
});
