/** People's avatars over HTTP: the cast to choose from, the files, and uploading one's own VRM. */
import type { Application } from "express";
import { VrmError } from "../avatars/checkVrm.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";
import { errorMessage } from "../util/errors.js";
import { bodyBytes, vrmBody } from "./avatarRoutes.js";
import { rateLimit } from "./rateLimit.js";
import type { Rights } from "./rights.js";

/** Anyone at a table (a guest too) may wear the cast or bring their own VRM; a private server still asks for an invite. */
export function mountPersonAvatarRoutes(app: Application, avatars: PersonAvatars, rights: Pick<Rights, "anyone">): void {
  app.get("/api/avatars/cast", rights.anyone, (_req, res) => { res.json(avatars.list()); });
  app.get(["/avatars/cast/:file", "/avatars/person/:file"], rights.anyone, async (req, res) => {
    try {
      const file = await avatars.fileFor(req.path);
      if (!file) { res.status(404).json({ error: "no such avatar" }); return; }
      res.type("model/gltf-binary").sendFile(file, { maxAge: "1h" });
    } catch (err) {
      res.status(500).json({ error: errorMessage(err) });
    }
  });
  app.post("/api/avatars/person", rights.anyone, rateLimit(10, 60_000, "avatar uploads"), vrmBody, async (req, res) => {
    try {
      res.status(201).json({ avatarUrl: await avatars.upload(bodyBytes(req.body)) });
    } catch (err) {
      res.status(err instanceof VrmError ? err.status : 500).json({ error: errorMessage(err) });
    }
  });
}
