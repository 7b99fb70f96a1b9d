/**
 * Who sits at a table, over HTTP: GET the seated ids, POST `{ id }` to seat a
 * character from the library (201; it greets), DELETE to send one away (202 while
 * it says goodbye, 200 if no room was open). `/api/tables/<id>/characters` for
 * any table, `/api/table/characters` for the default one. The host's, behind
 * `access`.
 */
import express, { type Application, type Request, type RequestHandler } from "express";
import { z } from "zod";
import type { Cast } from "../table/Cast.js";
import { LibraryError } from "../library/CharacterLibrary.js";
import { DEFAULT_TABLE } from "../store/Store.js";
import { bodyErrors, handle } from "./characterRoutes.js";
import { rateLimit } from "./rateLimit.js";

const SeatBody = z.object({ id: z.string().min(1).max(64) }).strict();

export interface CastRoutesDeps {
  /** a table's live cast, or null when there is no such table */
  cast: (tableId: string) => Promise<Cast | null>;
  /** reads a character again from the store (another process may have made it) */
  sync?: (characterId: string) => Promise<void>;
  access?: RequestHandler;
}

export function mountCastRoutes(app: Application, d: CastRoutesDeps): void {
  const api = express.Router();
  const paths = ["/table/characters", "/tables/:table/characters"];
  if (d.access) api.use(paths, d.access);
  const changes = rateLimit(30, 60_000, "cast changes");
  const castOf = async (req: Request): Promise<Cast> => {
    const id = typeof req.params.table === "string" ? req.params.table : DEFAULT_TABLE;
    const cast = await d.cast(id);
    if (!cast) throw new LibraryError(`no table "${id.slice(0, 40)}"`, 404);
    return cast;
  };
  for (const base of paths) {
    api.get(base, handle(async (req, res) => { res.json({ characters: (await castOf(req)).ids() }); }));
    api.post(base, changes, express.json({ limit: "4kb" }), handle(async (req, res) => {
      const body = SeatBody.safeParse(req.body);
      if (!body.success) throw new LibraryError(`send { "id": "<character id>" } (${body.error.issues[0]?.message ?? "bad body"})`, 400);
      const cast = await castOf(req);
      await d.sync?.(body.data.id);
      const c = cast.add(body.data.id);
      res.status(201).json({ id: c.id, name: c.name, characters: cast.ids() });
    }));
    api.delete(`${base}/:id`, changes, handle(async (req, res) => {
      const cast = await castOf(req);
      const gone = cast.remove(String(req.params.id));
      res.status(gone ? 200 : 202).json({ id: String(req.params.id), leaving: !gone, characters: cast.ids() });
    }));
  }
  api.use(bodyErrors);
  app.use("/api", api);
}
