import { deflateSync } from 'node:zlib';
import { crc32 } from './write-zip.js';

/**
 * The two icons a Teams app package needs, drawn here rather than shipped as binaries: a 192×192
 * colour icon (a white ring and dot on the accent colour) and a 32×32 outline icon (the same
 * shape, white on transparent, as Teams requires).
 */
export function colorIcon(accent = '#D9480F'): Buffer {
  const [r, g, b] = hexColor(accent);
  return drawIcon(192, (inside) => (inside ? [255, 255, 255, 255] : [r, g, b, 255]));
}

export function outlineIcon(): Buffer {
  return drawIcon(32, (inside) => (inside ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

function drawIcon(size: number, paint: (inside: boolean) => [number, number, number, number]): Buffer {
  const rows: Buffer[] = [];
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c) / size;
      const inside = (d > 0.3 && d < 0.4) || d < 0.12;
      row.set(paint(inside), 1 + x * 4);
    }
    rows.push(row);
  }
  return png(size, size, Buffer.concat(rows));
}

function png(width: number, height: number, raw: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function hexColor(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  const value = m ? parseInt(m[1], 16) : 0xd9480f;
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
