/** A small PNG decoder for VRM textures: 8-bit grey, grey+alpha, RGB, RGBA and palette images, not interlaced. */
import { inflateSync } from "node:zlib";

export interface DecodedImage { width: number; height: number; /** RGBA, 8 bits each */ rgba: Uint8Array }

/** textures larger than this are not worth decoding for a portrait, pixels */
const MAX_PIXELS = 4096 * 4096;

export function decodePng(png: Uint8Array): DecodedImage {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  let palette: Uint8Array | null = null;
  let alpha: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (at + 8 <= png.length) {
    const len = v.getUint32(at);
    const kind = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    if (kind === "IHDR") { width = v.getUint32(at + 8); height = v.getUint32(at + 12); depth = data[8]!; type = data[9]!; interlace = data[12]!; }
    else if (kind === "PLTE") palette = data;
    else if (kind === "tRNS") alpha = data;
    else if (kind === "IDAT") idat.push(data);
    else if (kind === "IEND") break;
    at += 12 + len;
  }
  if (depth !== 8 || interlace !== 0 || width * height > MAX_PIXELS || !width || !height) throw new Error("unsupported texture");
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type];
  if (!channels) throw new Error("unsupported texture");
  const raw = inflateSync(Buffer.concat(idat), { maxOutputLength: height * (1 + width * channels) });
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels]! : 0;
      const b = prev ? prev[i]! : 0;
      const c = prev && i >= channels ? prev[i - channels]! : 0;
      let p = line[i]!;
      if (filter === 1) p += a;
      else if (filter === 2) p += b;
      else if (filter === 3) p += (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        p += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[i] = p & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = pixels.subarray(i * channels, i * channels + channels);
    if (type === 3) {
      const k = s[0]!;
      rgba.set([palette?.[k * 3] ?? 0, palette?.[k * 3 + 1] ?? 0, palette?.[k * 3 + 2] ?? 0, alpha?.[k] ?? 255], i * 4);
    } else if (channels <= 2) rgba.set([s[0]!, s[0]!, s[0]!, channels === 2 ? s[1]! : 255], i * 4);
    else rgba.set([s[0]!, s[1]!, s[2]!, channels === 4 ? s[3]! : 255], i * 4);
  }
  return { width, height, rgba };
}
