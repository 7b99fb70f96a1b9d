/**
 * Who sits at the table, over HTTP: GET the seated ids, POST `{ id }` to seat a
 * character from the library (201; it greets), DELETE to send one away (202 while
 * it says goodbye, 200 if no table was open). Under /api, behind the same
 * `access` middleware as the library.
 */
import express, { type Application, type RequestHandler } from "express";
import { z } from "zod";
import type { LiveCast } from "../room/LiveCast.js";
import { LibraryError } from "../library/CharacterLibrary.js";
import { bodyErrors, handle } from "./characterRoutes.js";
import { rateLimit } from "./rateLimit.js";

const SeatBody = z.object({ id: z.string().min(1).max(64) }).strict();

export function mountCastRoutes(app: Application, d: { cast: LiveCast; access?: RequestHandler }): void {
  const api = express.Router();
  if (d.access) api.use(d.access);
  const changes = rateLimit(30, 60_000, "cast changes");
  api.get("/table/characters", handle((_req, res) => { res.json({ characters: d.cast.ids() }); }));
  api.post("/table/characters", changes, express.json({ limit: "4kb" }), handle((req, res) => {
    const body = SeatBody.safeParse(req.body);
    if (!body.success) throw new LibraryError(`send { "id": "<character id>" } (${body.error.issues[0]?.message ?? "bad body"})`, 400);
    const c = d.cast.add(body.data.id);
    res.status(201).json({ id: c.id, name: c.name, characters: d.cast.ids() });
  }));
  api.delete("/table/characters/:id", changes, handle((req, res) => {
    const gone = d.cast.remove(String(req.params.id));
    res.status(gone ? 200 : 202).json({ id: String(req.params.id), leaving: !gone, characters: d.cast.ids() });
  }));
  api.use(bodyErrors);
  app.use("/api", api);
}
