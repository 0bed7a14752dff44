import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTeamsAppPackage, renderTeamsManifest } from './teams-manifest.js';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

/** Reads width, height and colour type of a PNG, and its pixels (filter type 0 rows). */
function readPng(png: Buffer) {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { width, height, colourType: png[25], pixels: inflateSync(Buffer.concat(idat)) };
}

describe('the Teams app package', () => {
  it('has a manifest of the current schema naming the bot, its commands and the RSC permissions', () => {
    const manifest = renderTeamsManifest({ appId: APP_ID, publicUrl: 'https://sidekick.example.com' }) as any;
    expect(manifest.manifestVersion).toBe('1.22');
    expect(manifest.$schema).toContain('/v1.22/');
    expect(manifest.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(renderTeamsManifest({ appId: APP_ID, publicUrl: 'https://other.example.com' }).id).toBe(manifest.id);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(['sidekick.example.com']);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    for (const command of manifest.bots[0].commandLists[0].commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
    expect(manifest.authorization.permissions.resourceSpecific.map((p: { name: string }) => p.name)).toContain('ChannelMessage.Read.Group');
  });

  it('zips manifest.json, a 192×192 colour icon and a 32×32 white-on-transparent outline at the root, readable by unzip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-pkg-'));
    try {
      const zip = join(dir, 'sidekick.zip');
      writeFileSync(zip, buildTeamsAppPackage({ appId: APP_ID, publicUrl: 'https://sidekick.example.com' }));
      const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
      expect(listing).toEqual(['color.png', 'manifest.json', 'outline.png']);
      execFileSync('unzip', ['-q', '-t', zip]);
      execFileSync('unzip', ['-q', zip, '-d', join(dir, 'out')]);
      expect(JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')).bots[0].botId).toBe(APP_ID);
      const color = readPng(readFileSync(join(dir, 'out', 'color.png')));
      expect([color.width, color.height, color.colourType]).toEqual([192, 192, 6]);
      const outline = readPng(readFileSync(join(dir, 'out', 'outline.png')));
      expect([outline.width, outline.height]).toEqual([32, 32]);
      // Outline icons are white or transparent, nothing else.
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const at = y * (1 + 32 * 4) + 1 + x * 4;
          const [r, g, b, a] = outline.pixels.subarray(at, at + 4);
          expect(a === 0 || (r === 255 && g === 255 && b === 255)).toBe(true);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
