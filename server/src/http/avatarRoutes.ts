/** Avatar files: GET a character's current avatar, PUT a new one (a VRM file), DELETE to go back. */
import express, { type Application, type RequestHandler } from "express";
import { existsSync } from "node:fs";
import { AvatarError, MAX_AVATAR_BYTES, type AvatarStore } from "../avatars/AvatarStore.js";
import { VrmError } from "../avatars/checkVrm.js";
import { errorMessage } from "../util/errors.js";
import { rateLimit } from "./rateLimit.js";
import type { Rights } from "./rights.js";

const raw = express.raw({ type: () => true, limit: MAX_AVATAR_BYTES });

/** Reads a VRM file sent as the request body; a too large or unreadable body gets a clear answer. */
export const vrmBody: RequestHandler = (req, res, next) => raw(req, res, (err?: unknown) => {
  if (err) { res.status((err as { status?: number }).status === 413 ? 413 : 400).json({ error: (err as { status?: number }).status === 413 ? `the file is larger than ${MAX_AVATAR_BYTES / 2 ** 20} MiB` : errorMessage(err) }); return; }
  next();
});

export function bodyBytes(body: unknown): Uint8Array {
  if (!body || !Buffer.isBuffer(body)) throw new AvatarError("send the VRM file as the request body", 400);
  return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
}

export function mountAvatarRoutes(app: Application, avatars: AvatarStore, rights: Pick<Rights, "anyone" | "host">): void {
  app.get("/avatars/character/:id", rights.anyone, async (req, res) => {
    try {
      const file = await avatars.fileFor(String(req.params.id));
      if (!existsSync(file)) { res.status(404).json({ error: `avatar file not found: ${file}` }); return; }
      res.type("model/gltf-binary").sendFile(file, { maxAge: "1h" });
    } catch (err) {
      res.status(err instanceof VrmError ? err.status : 500).json({ error: errorMessage(err) });
    }
  });
  const changes = rateLimit(10, 60_000, "avatar changes");
  app.put("/api/avatars/:id", rights.host, changes, vrmBody, async (req, res) => {
    try {
      await avatars.upload(String(req.params.id), bodyBytes(req.body));
      res.json({ ok: true });
    } catch (err) {
      res.status(err instanceof VrmError ? err.status : 500).json({ error: errorMessage(err) });
    }
  });
  app.delete("/api/avatars/:id", rights.host, changes, async (req, res) => {
    try {
      await avatars.reset(String(req.params.id));
      res.json({ ok: true });
    } catch (err) {
      res.status(err instanceof VrmError ? err.status : 500).json({ error: errorMessage(err) });
    }
  });
}
