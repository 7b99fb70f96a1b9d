/**
 * Who may do what, decided in one place. On loopback (and not PARLEY_PRIVATE)
 * everyone is the host: it is the user's own machine. Beyond loopback every join
 * and every HTTP route needs a token: the host's own (printed in the terminal,
 * kept in the store) makes its bearer the host of every table; a table's invite
 * makes its bearer a guest at that table. Only the host changes settings, the
 * cast and avatars, creates tables and revokes invites.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import type { Store, TableRecord } from "../store/Store.js";

export type Role = "host" | "guest";

export const HOST_TOKEN_KEY = "host-token";

/** An unguessable token: 24 random bytes, URL-safe. */
export const newToken = (): string => randomBytes(24).toString("base64url");

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The token a request carries: `Authorization: Bearer <token>`, or `?invite=<token>` (links, downloads). */
export function tokenOf(req: Pick<Request, "headers" | "query">): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === "string" && /^Bearer\s+\S+$/i.test(auth)) return auth.split(/\s+/)[1];
  const q = req.query.invite;
  return typeof q === "string" && q.length > 0 && q.length < 200 ? q : undefined;
}

export class Access {
  private constructor(readonly privateMode: boolean, private readonly hostToken: string) {}

  /** Reads (or makes, once) the host's token. */
  static async open(store: Store, privateMode: boolean): Promise<Access> {
    let token = await store.value(HOST_TOKEN_KEY);
    if (!token) {
      token = newToken();
      await store.setValue(HOST_TOKEN_KEY, token);
    }
    return new Access(privateMode, token);
  }

  /** The host's token, for the link printed in the terminal. */
  get hostInvite(): string { return this.hostToken; }

  /** The role a token gives at a table, or null (refused). */
  roleAt(table: Pick<TableRecord, "invite"> | null, token: string | undefined): Role | null {
    if (!this.privateMode) return "host";
    if (!token) return null;
    if (same(token, this.hostToken)) return "host";
    return table && same(token, table.invite) ? "guest" : null;
  }

  /** The role a token gives anywhere: host, or guest of at least one of these tables. */
  roleAnywhere(tables: readonly Pick<TableRecord, "invite">[], token: string | undefined): Role | null {
    if (!this.privateMode) return "host";
    if (token && same(token, this.hostToken)) return "host";
    return tables.some((t) => this.roleAt(t, token) === "guest") ? "guest" : null;
  }
}
