/**
 * Tables over HTTP: list them (the host sees every table, a guest the one their
 * invite opens), make one (host only: 201 { id, url, invite }), give a table a
 * new invite (host only: the old link stops working), and a table's transcript.
 */
import express, { type Application } from "express";
import type { Language } from "@parley/shared";
import { tokenOf, type Access } from "../access/Access.js";
import { NewTablePayload, TableError, type TableRegistry } from "../table/TableRegistry.js";
import type { Store, TableRecord } from "../store/Store.js";
import type { Rights } from "./rights.js";
import { rateLimit } from "./rateLimit.js";
import { transcriptMarkdown } from "./transcriptMarkdown.js";
import { errorMessage } from "../util/errors.js";

export interface TableRoutesDeps {
  tables: TableRegistry;
  access: Access;
  rights: Rights;
  store: Store;
  /** opens a new table's room, so it can be joined at once */
  openRoom: (t: TableRecord) => Promise<void>;
  /** the address links are made from (https://host:port) */
  baseUrl: () => string;
  /** a table's current language (it may have changed since it was made) */
  languageOf: (id: string) => Promise<Language>;
}

/** A table's page: its address, with the invite when it needs one. */
export const tableUrl = (base: string, t: Pick<TableRecord, "id">, invite?: string): string =>
  `${base}${t.id === "main" ? "/" : `/t/${encodeURIComponent(t.id)}`}${invite ? `?invite=${encodeURIComponent(invite)}` : ""}`;

export function mountTableRoutes(app: Application, d: TableRoutesDeps): void {
  const view = (t: TableRecord, withInvite: boolean) => ({
    id: t.id, name: t.name, characters: t.characters, language: t.language, createdAt: t.createdAt,
    url: tableUrl(d.baseUrl(), t, d.access.privateMode && withInvite ? t.invite : undefined),
    ...(withInvite ? { invite: t.invite } : {}),
  });
  app.get("/api/tables", d.rights.anyone, async (req, res) => {
    const all = await d.tables.list();
    const token = tokenOf(req);
    const host = d.access.roleAt(null, token) === "host";
    res.json({
      role: host ? "host" : "guest",
      tables: all.filter((t) => host || d.access.roleAt(t, token)).map((t) => view(t, host)),
      // what a new table can seat (only the host makes tables)
      cast: host ? d.tables.catalogue().map((c) => ({ id: c.id, name: c.name })) : [],
    });
  });
  app.post("/api/tables", d.rights.host, rateLimit(20, 60_000, "new tables"), express.json({ limit: "16kb" }), async (req, res) => {
    const parsed = NewTablePayload.safeParse(req.body);
    if (!parsed.success) { res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join(".") || "table"}: ${i.message}`).join("; ") }); return; }
    try {
      const t = await d.tables.create(parsed.data);
      await d.openRoom(t);
      res.status(201).json(view(t, true));
    } catch (err) {
      res.status(err instanceof TableError ? err.status : 500).json({ error: errorMessage(err) });
    }
  });
  app.post("/api/tables/:id/invite", d.rights.host, rateLimit(20, 60_000, "new invites"), async (req, res) => {
    try {
      res.json(view(await d.tables.revokeInvite(String(req.params.id)), true));
    } catch (err) {
      res.status(err instanceof TableError ? err.status : 500).json({ error: errorMessage(err) });
    }
  });
  const transcript = (id: (req: express.Request) => string): express.RequestHandler => async (req, res) => {
    const tableId = id(req);
    if (!(await d.tables.get(tableId))) { res.status(404).json({ error: "no such table" }); return; }
    const lines = await d.store.allLines(tableId);
    res.type("text/markdown").setHeader("content-disposition", `attachment; filename="parley-${tableId.replace(/[^\w-]/g, "")}-transcript.md"`);
    res.send(transcriptMarkdown(lines, await d.languageOf(tableId)));
  };
  const exports = rateLimit(30, 60_000, "transcript exports");
  app.get("/api/tables/:id/transcript.md", d.rights.table("id"), exports, transcript((req) => String(req.params.id)));
  // the default table's export, where it always was
  app.get("/api/transcript.md", d.rights.table(() => "main"), exports, transcript(() => "main"));
}
