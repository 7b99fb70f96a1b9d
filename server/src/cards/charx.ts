/**
 * CHARX: a zip holding `card.json` (a V3 card) and its assets, here a VRM
 * avatar and a portrait. Reading guards against archives made to hurt: at most
 * a few hundred entries, every name a plain relative path, and every entry's
 * bytes counted as they unpack (whatever its header claims), so a zip bomb
 * stops at the cap instead of filling memory. Entries Parley does not read are
 * never unpacked.
 */
import { Unzip, UnzipInflate, zipSync, strToU8, type UnzipFile } from "fflate";
import { CardError } from "./CardError.js";

export const CHARX_LIMITS = {
  entries: 256,
  /** card.json, bytes */
  cardBytes: 16 * 2 ** 20,
  /** one asset (a VRM), bytes */
  entryBytes: 64 * 2 ** 20,
  /** everything unpacked, bytes */
  totalBytes: 96 * 2 ** 20,
  /** compressed bytes handed to the inflater at a time: deflate grows at most ~1032x, so one step stays bounded */
  stepBytes: 16 * 1024,
} as const;

export const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6);

export interface Charx {
  card: string;
  /** unpacked assets Parley reads, by their path in the archive */
  assets: Map<string, Uint8Array>;
}

/** A plain relative path: no "..", no absolute or drive paths, no backslashes or control characters. */
export function safeEntryName(name: string): boolean {
  if (!name || name.length > 512 || name.startsWith("/") || /^[a-zA-Z]:/.test(name)) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f]/.test(name)) return false;
  return name.split("/").every((part) => part !== ".." && part !== ".");
}

/** Assets Parley reads from a CHARX: avatars and pictures. */
const WANTED = /\.(vrm|glb|png|webp|jpe?g)$/i;

export function readCharx(zip: Uint8Array): Charx {
  let entries = 0;
  let total = 0;
  let card: Uint8Array | null = null;
  const assets = new Map<string, Uint8Array>();
  let failure: CardError | null = null;
  const fail = (e: CardError): void => { failure ??= e; };

  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    if (++entries > CHARX_LIMITS.entries) { fail(new CardError(`the archive holds more than ${CHARX_LIMITS.entries} entries`, 413)); return; }
    if (!safeEntryName(file.name)) { fail(new CardError(`the archive has an unsafe entry name: ${JSON.stringify(file.name.slice(0, 80))}`, 422)); return; }
    const isCard = file.name === "card.json";
    if (file.name.endsWith("/") || (!isCard && !WANTED.test(file.name))) return;
    const cap = isCard ? CHARX_LIMITS.cardBytes : CHARX_LIMITS.entryBytes;
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) { fail(new CardError(`${file.name} in the archive does not unpack (${err.message})`, 400)); return; }
      size += chunk.length;
      total += chunk.length;
      if (size > cap) { file.terminate(); fail(new CardError(`${file.name} unpacks to more than ${cap / 2 ** 20} MiB (a zip bomb?)`, 413)); return; }
      if (total > CHARX_LIMITS.totalBytes) { file.terminate(); fail(new CardError(`the archive unpacks to more than ${CHARX_LIMITS.totalBytes / 2 ** 20} MiB (a zip bomb?)`, 413)); return; }
      parts.push(chunk);
      if (!final) return;
      const bytes = join(parts, size);
      if (isCard) card = bytes;
      else assets.set(file.name, bytes);
    };
    try { file.start(); } catch (err) { fail(new CardError(`${file.name} is packed in a way Parley cannot read (${(err as Error).message})`, 415)); }
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < zip.length && !failure; at += CHARX_LIMITS.stepBytes) {
      unzip.push(zip.subarray(at, Math.min(zip.length, at + CHARX_LIMITS.stepBytes)), at + CHARX_LIMITS.stepBytes >= zip.length);
    }
  } catch (err) {
    fail(new CardError(`not a readable zip archive (${(err as Error).message})`, 400));
  }
  if (failure) throw failure;
  if (!card) throw new CardError("the archive has no card.json at its root", 422);
  return { card: new TextDecoder("utf-8").decode(card), assets };
}

function join(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** A CHARX of a card and its assets (paths as the card's `embeded://` URIs name them). */
export function writeCharx(cardJson: string, assets: ReadonlyMap<string, Uint8Array>): Uint8Array {
  // images and VRMs barely compress: they are stored, only the JSON is deflated
  const files: Record<string, Uint8Array | [Uint8Array, { level: 6 }]> = { "card.json": [strToU8(cardJson), { level: 6 }] };
  for (const [path, bytes] of assets) files[path] = bytes;
  return zipSync(files, { level: 0, mtime: new Date(Date.UTC(2026, 0, 1)) });
}
