/**
 * HTTP routes beside Colyseus: the built client and its pages (a table at `/`
 * and `/t/<id>`, the list of tables at `/tables`), a status endpoint, voice
 * previews, avatars and tables. Every route checks the same rights as the
 * tables do (rights.ts); the client's own files carry nothing private.
 */
import express, { type Application, type Request } from "express";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LlmView, VoiceConfig } from "@parley/shared";
import { tokenOf, type Access } from "../access/Access.js";
import type { TableRegistry } from "../table/TableRegistry.js";
import { mountVoicePreview } from "./voicePreview.js";
import { mountAvatarRoutes } from "./avatarRoutes.js";
import { mountTableRoutes, type TableRoutesDeps } from "./tableRoutes.js";
import { refusalPage, rights } from "./rights.js";
import type { AvatarStore } from "../avatars/AvatarStore.js";
import type { PersonAvatars } from "../avatars/PersonAvatars.js";
import { mountPersonAvatarRoutes } from "./personAvatarRoutes.js";
import type { Store } from "../store/Store.js";
import type { VoiceRouter } from "../table/TableVoices.js";
import { mountCharacterRoutes, type CharacterRoutesDeps } from "./characterRoutes.js";
import { mountCastRoutes } from "./castRoutes.js";
import { mountVoiceCatalog, type VoiceCatalogDeps } from "./voiceCatalogRoutes.js";

export interface StaticRoutesOptions extends Pick<TableRoutesDeps, "openRoom" | "baseUrl"> {
  clientDir: string;
  llmStatus: () => LlmView;
  store: Store;
  tables: TableRegistry;
  access: Access;
  avatars: AvatarStore;
  /** the avatars people wear (the cast, or a VRM of their own) */
  personAvatars: PersonAvatars;
  /** what the page's microphone needs to know, now (it changes when the end-of-turn model is ready) */
  voice: () => { vadSilenceMs: number; asr: string; turnModel: string };
  /** this machine's measured profile (npm run doctor, the first start) and the reply latency it means */
  machine: () => Promise<unknown>;
  /** the character library and portraits (the studio and cards; the host's) */
  library?: CharacterRoutesDeps["library"];
  portraits?: CharacterRoutesDeps["portraits"];
  voiceCatalog?: Omit<VoiceCatalogDeps, "access">;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Parley</title>
<p>The client is not built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it) and reload.</p>`;

/** The table a request is about: `?table=<id>`, else the default one. */
const tableParam = (req: Request): string => (typeof req.query.table === "string" && req.query.table ? req.query.table : "main");

export function mountStaticRoutes(app: Application, o: StaticRoutesOptions): void {
  const r = rights(o.access, o.tables);
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    // links carry invites: never hand them to another site
    res.setHeader("Referrer-Policy", "no-referrer");
    next();
  });
  // this process's clock (ms since the epoch, as the latency stages are dated): pages place the
  // stages that begin here and end with them on their own clock by it; it tells nothing else
  app.get("/api/clock", (_req, res) => { res.setHeader("Cache-Control", "no-store"); res.json({ now: performance.timeOrigin + performance.now() }); });
  app.get("/api/status", r.table(tableParam), async (req, res) => {
    const id = tableParam(req);
    if (!(await o.tables.get(id))) { res.status(404).json({ error: "no such table" }); return; }
    const t = await o.tables.table(id);
    res.json({
      llm: o.llmStatus(),
      voice: o.voice(),
      machine: await o.machine(),
      table: { id, name: t.record.name, language: t.locale.language.get() },
      characters: t.cast.list.map((c) => {
        const v: VoiceConfig = t.locale.voices.intended(c.voice);
        return { id: c.id, name: c.name, persona: c.persona, voice: `${v.provider}:${"voice" in v ? v.voice : ""}` };
      }),
    });
  });
  mountVoicePreview(app, {
    guard: r.table(tableParam),
    table: async (req) => {
      const id = tableParam(req);
      if (!(await o.tables.get(id))) return null;
      const t = await o.tables.table(id);
      return { characters: t.cast.list, voices: t.locale.voices as VoiceRouter, language: () => t.locale.language.get() };
    },
  });
  mountAvatarRoutes(app, o.avatars, r);
  mountPersonAvatarRoutes(app, o.personAvatars, r);
  mountTableRoutes(app, { tables: o.tables, access: o.access, rights: r, store: o.store, openRoom: o.openRoom, baseUrl: o.baseUrl, languageOf: async (id) => (await o.tables.table(id)).language });
  // the library, who sits where, and the voice catalogue: the host's (the studio)
  if (o.library && o.portraits) {
    const tables = o.tables;
    const seated = (id: string, table?: string): boolean => (table ? !!tables.castOf(table)?.isSeated(id) : tables.casts().some((c) => c.isSeated(id)));
    mountCharacterRoutes(app, { library: o.library, avatars: o.avatars, portraits: o.portraits, seated, access: r.host });
    const library = o.library;
    mountCastRoutes(app, { cast: async (id) => (await tables.get(id)) ? (await tables.table(id)).cast : null, sync: (id) => library.sync(id), access: r.host });
  }
  if (o.voiceCatalog) mountVoiceCatalog(app, { ...o.voiceCatalog, access: r.host });
  app.use(express.static(o.clientDir, { index: false, maxAge: 0 }));
  const index = join(o.clientDir, "index.html");
  const page = (tableOf: (req: Request) => string | null): express.RequestHandler => async (req, res) => {
    if (!existsSync(index)) { res.status(503).type("html").send(NOT_BUILT); return; }
    const id = tableOf(req);
    const allowed = id === null
      ? o.access.roleAnywhere(await o.tables.list(), tokenOf(req))
      : o.access.roleAt(await o.tables.get(id), tokenOf(req));
    if (!allowed) { refusalPage(req, res); return; }
    res.sendFile(index);
  };
  app.get("/", page(() => "main"));
  app.get("/t/:id", page((req) => String(req.params.id)));
  app.get("/tables", page(() => null));
  // the studio is the host's
  app.get("/studio", async (req, res, next) => {
    if (o.access.roleAt(null, tokenOf(req)) !== "host") { refusalPage(req, res); return; }
    await page(() => null)(req, res, next);
  });
}
