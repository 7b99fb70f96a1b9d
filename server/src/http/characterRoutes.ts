/**
 * The character library over HTTP: import a card, list, read, create, edit,
 * duplicate, delete, export (PNG, JSON, CHARX), a character's own VRM, and
 * portraits. Every route sits on one router under /api, so a single `access`
 * middleware (host only beyond loopback, with the friends issue) guards them
 * all. Errors are `{ error }` with a 4xx status naming the problem, and with
 * `issues` (each field at fault) for a character that does not validate.
 */
import express, { type Application, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import type { CharacterLibrary } from "../library/CharacterLibrary.js";
import { LibraryError } from "../library/CharacterLibrary.js";
import type { AvatarStore } from "../avatars/AvatarStore.js";
import { MAX_AVATAR_BYTES } from "../avatars/AvatarStore.js";
import { VrmError } from "../avatars/checkVrm.js";
import { CardError } from "../cards/CardError.js";
import { exportCard } from "../cards/exportCard.js";
import type { Portraits } from "../portrait/Portraits.js";
import type { PortraitSize } from "../portrait/renderPortrait.js";
import { rateLimit } from "./rateLimit.js";
import { errorMessage } from "../util/errors.js";
import { log } from "../util/log.js";

/** the largest card file: a CHARX with a VRM of up to 64 MiB and its pictures, bytes */
export const MAX_CARD_BYTES = 100 * 2 ** 20;

export interface CharacterRoutesDeps {
  library: CharacterLibrary;
  avatars: AvatarStore;
  portraits: Portraits;
  /** whether a character sits at this table (or at any, without one) */
  seated: (id: string, tableId?: string) => boolean;
  /** who may use these routes (the host) */
  access?: RequestHandler;
}

type Handler = (req: Request, res: Response) => Promise<void> | void;

/** Runs a handler; a thrown error becomes its status and `{ error }`. */
export const handle = (fn: Handler): RequestHandler => (req, res) => {
  Promise.resolve().then(() => fn(req, res)).catch((err: unknown) => {
    if (res.headersSent) return;
    if (err instanceof LibraryError) { res.status(err.status).json({ error: err.message, ...(err.issues.length ? { issues: err.issues } : {}) }); return; }
    if (err instanceof CardError) { res.status(err.status).json({ error: err.message, ...(err.field ? { field: err.field } : {}) }); return; }
    if (err instanceof VrmError) { res.status(err.status).json({ error: err.message }); return; }
    log.error(`${req.method} ${req.path} failed: ${errorMessage(err)}`);
    res.status(500).json({ error: errorMessage(err) });
  });
};

/** Body parser errors (too large, not JSON) as `{ error }`. */
export const bodyErrors: ErrorRequestHandler = (err: { status?: number; type?: string; message?: string }, _req, res, next) => {
  // only the body parsers' own errors (they carry a `type`); anything else is not ours
  if (!err?.type || res.headersSent) { next(err); return; }
  const status = err.status === 413 ? 413 : 400;
  res.status(status).json({ error: status === 413 ? "the file is too large" : `the request body does not parse (${(err.message ?? "").slice(0, 120)})` });
};

/** `?size=small` asks for a list thumbnail (cheap to draw), else the card's picture. */
const sizeOf = (req: Request): PortraitSize => (req.query.size === "small" ? "small" : "card");

const filename = (name: string, ext: string): string => {
  const ascii = name.normalize("NFKD").replace(/[^\x20-\x7e]/g, "").replace(/["\\/:*?<>|]/g, "").trim() || "character";
  return `attachment; filename="${ascii}.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}.${ext}`;
};

export function mountCharacterRoutes(app: Application, d: CharacterRoutesDeps): void {
  const api = express.Router();
  // only this router's own paths are guarded (other /api routes have their own rights)
  if (d.access) api.use(["/characters", "/avatars/generated"], d.access);
  const raw = (limit: number): RequestHandler => express.raw({ type: () => true, limit });
  const json = express.json({ limit: "16mb" });
  const writes = rateLimit(60, 60_000, "character changes");
  const imports = rateLimit(20, 60_000, "card imports");
  const exports = rateLimit(30, 60_000, "card exports");
  // the studio shows a dozen portraits a page; each is drawn once and kept
  const portraits = rateLimit(240, 60_000, "portraits");
  const id = (req: Request): string => String(req.params.id);
  // `?table=<id>`: "seated" means at that table (the studio seats there), else at any
  const entryView = (e: ReturnType<CharacterLibrary["list"]>[number], table?: string) => ({ ...e, seated: d.seated(e.character.id, table) });
  const tableOf = (req: Request): string | undefined => (typeof req.query.table === "string" && req.query.table ? req.query.table.slice(0, 64) : undefined);
  const own = (i: string): string => `./${i}.own.vrm`;

  // a character named in the path is read again from the store first: another process may have made or changed it
  api.param("id", (_req, _res, next, value) => { d.library.sync(String(value)).then(() => next(), next); });

  api.post("/characters/import", imports, raw(MAX_CARD_BYTES), handle(async (req, res) => {
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new CardError("send the card file as the request body", 400);
    const r = await d.library.importCard(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), String(req.headers["content-type"] ?? ""));
    res.setHeader("x-parley-card", `${r.version} ${r.container}`);
    if (r.notes.length) res.setHeader("x-parley-notes", encodeURIComponent(r.notes.join(" ")).slice(0, 2000));
    res.status(201).json(r.character);
  }));
  api.get("/characters", handle(async (req, res) => {
    await d.library.sync();
    res.json({ characters: d.library.list().map((e) => entryView(e, tableOf(req))), generated: d.library.generated });
  }));
  api.get("/characters/:id", handle((req, res) => {
    const c = d.library.get(id(req));
    if (!c) throw new LibraryError(`no character "${id(req).slice(0, 40)}"`, 404);
    res.json(c);
  }));
  api.post("/characters", writes, json, handle(async (req, res) => { res.status(201).json(await d.library.create(req.body)); }));
  api.put("/characters/:id", writes, json, handle(async (req, res) => { res.json(await d.library.save(id(req), req.body)); }));
  api.post("/characters/:id/duplicate", writes, json, handle(async (req, res) => {
    const name = typeof (req.body as { name?: unknown })?.name === "string" ? String((req.body as { name: string }).name) : `${d.library.get(id(req))?.name ?? "?"} 2`;
    res.status(201).json(await d.library.duplicate(id(req), name));
  }));
  api.delete("/characters/:id", writes, handle(async (req, res) => {
    if (d.seated(id(req)) && !d.library.entry(id(req))?.bundled) throw new LibraryError(`${d.library.get(id(req))!.name} sits at a table: remove them from the table first`, 409);
    const back = await d.library.remove(id(req));
    res.json(back ? { restored: back.character } : { deleted: id(req) });
  }));
  // a VRM of the character's own (an upload in the studio): it becomes its avatar
  api.put("/characters/:id/avatar", writes, raw(MAX_AVATAR_BYTES), handle(async (req, res) => {
    const c = d.library.get(id(req));
    if (!c) throw new LibraryError(`no character "${id(req).slice(0, 40)}"`, 404);
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new VrmError("send the VRM file as the request body", 400);
    const avatar = await d.avatars.keepOwn(c.id, new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    res.json(await d.library.save(c.id, { ...c, avatar }));
  }));
  api.get("/characters/:id/export", exports, handle(async (req, res) => {
    const c = d.library.get(id(req));
    if (!c) throw new LibraryError(`no character "${id(req).slice(0, 40)}"`, 404);
    const file = await d.avatars.fileFor(c.id);
    if (!existsSync(file)) throw new CardError(`${c.name}'s avatar file is missing (${c.avatar})`, 409);
    const vrm = new Uint8Array(await readFile(file));
    const portrait = await d.portraits.of(file, c.color);
    const out = exportCard(String(req.query.format ?? "png"), { character: c, avatar: c.avatar === own(c.id) ? "own" : c.avatar, vrm, portrait: () => portrait });
    res.type(out.type).setHeader("content-disposition", filename(c.name, out.ext));
    res.send(Buffer.from(out.bytes));
  }));
  api.get("/characters/:id/portrait.png", portraits, handle(async (req, res) => {
    const c = d.library.get(id(req));
    if (!c) throw new LibraryError(`no character "${id(req).slice(0, 40)}"`, 404);
    res.type("image/png").setHeader("cache-control", "no-cache");
    res.send(Buffer.from(await d.portraits.of(await d.avatars.fileFor(c.id), c.color, sizeOf(req))));
  }));
  api.get("/avatars/generated/:file/portrait.png", portraits, handle(async (req, res) => {
    const file = String(req.params.file);
    const path = d.library.generated.includes(file) ? d.avatars.generatedFile(file) : null;
    if (!path) throw new LibraryError(`no generated avatar "${file.slice(0, 40)}"`, 404);
    res.type("image/png").setHeader("cache-control", "max-age=3600");
    res.send(Buffer.from(await d.portraits.of(path, "#3a2f4a", sizeOf(req))));
  }));
  api.use(bodyErrors);
  app.use("/api", api);
}
