// Writes the PWA icons into static/icons with node built-ins only, so the
// icons can be regenerated without an image toolchain: `pnpm run icons`.
// The emblem is a steering wheel on the platform blue.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'static', 'icons');
mkdirSync(out, { recursive: true });

const BLUE = [11, 78, 162];
const WHITE = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Is the point (x, y), in units of the icon size (0..1), on the white emblem? */
function onEmblem(x, y, scale) {
  const dx = (x - 0.5) / scale;
  const dy = (y - 0.5) / scale;
  const r = Math.hypot(dx, dy);
  if (r <= 0.4 && r >= 0.32) return true; // rim
  if (r <= 0.09) return true; // hub
  if (r > 0.32) return false;
  if (Math.abs(dy) <= 0.035 && Math.abs(dx) >= 0.05) return true; // left and right spokes
  if (Math.abs(dx) <= 0.035 && dy >= 0.05) return true; // lower spoke
  return false;
}

/** Inside a square with rounded corners (radius in units of the icon size)? */
function inRoundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 1 - radius);
  const cy = Math.min(Math.max(y, radius), 1 - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

function draw(size, { emblemScale, cornerRadius }) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4; // 4×4 supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (!inRoundedSquare(x, y, cornerRadius)) continue;
          bg++;
          if (onEmblem(x, y, emblemScale)) fg++;
        }
      }
      const n = samples * samples;
      const i = (py * size + px) * 4;
      const mix = bg === 0 ? 0 : fg / bg;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(BLUE[c] * (1 - mix) + WHITE[c] * mix);
      rgba[i + 3] = Math.round((bg / n) * 255);
    }
  }
  return png(size, rgba);
}

const icons = [
  // "any" icons: rounded tile, emblem fills most of it
  { file: 'icon-192.png', size: 192, emblemScale: 1, cornerRadius: 0.18 },
  { file: 'icon-512.png', size: 512, emblemScale: 1, cornerRadius: 0.18 },
  // maskable: full bleed, emblem inside the 80% safe zone
  { file: 'maskable-512.png', size: 512, emblemScale: 0.75, cornerRadius: 0 },
  // iOS draws its own mask and shows transparency as black
  { file: 'apple-touch-icon-180.png', size: 180, emblemScale: 0.85, cornerRadius: 0 },
];

for (const icon of icons) {
  writeFileSync(join(out, icon.file), draw(icon.size, icon));
  process.stdout.write(`static/icons/${icon.file}\n`);
}
