import { describe, expect, it } from 'vitest';
import { plainTextOfChat } from './chat-text.js';

describe('plainTextOfChat', () => {
  it('turns mrkdwn back into what people saw', () => {
    expect(plainTextOfChat('a &lt;script&gt; &amp;amp; b')).toBe('a <script> &amp; b');
    expect(plainTextOfChat('see <https://grafana.example/d/x|the dashboard> and <https://x.example>')).toBe('see the dashboard (https://grafana.example/d/x) and https://x.example');
    expect(plainTextOfChat('<@U123|alice> in <#C42|inc-42> cc <!here>')).toBe('@alice in #inc-42 cc @here');
    expect(plainTextOfChat('<@U123>')).toBe('@U123');
  });

  it('leaves what is not mrkdwn alone', () => {
    expect(plainTextOfChat('<not a link> a < b > c')).toBe('<not a link> a < b > c');
    expect(plainTextOfChat('&lt;https://evil.example|x&gt;')).toBe('<https://evil.example|x>');
  });
});
