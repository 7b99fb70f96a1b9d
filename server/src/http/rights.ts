/**
 * The same rights on every HTTP route as at the tables: on a private server each
 * request carries a token (Authorization: Bearer, or ?invite= on links and
 * downloads); the host's token opens everything, a table's invite opens that
 * table. Refusals say why, in JSON for the API and as a page for people.
 */
import type { Request, RequestHandler, Response } from "express";
import { tokenOf, type Access, type Role } from "../access/Access.js";
import type { TableRegistry } from "../table/TableRegistry.js";

export interface Rights {
  /** the host, or a guest of any table */
  anyone: RequestHandler;
  /** only the host */
  host: RequestHandler;
  /** the host, or a guest of the table named by `param` (a route parameter or query field, or a function of the request) */
  table: (param: string | ((req: Request) => string)) => RequestHandler;
  /** the role a request has at a table (null: none) */
  roleAt: (req: Request, tableId: string) => Promise<Role | null>;
}

/** the refusal a person sees, in their browser's language */
const REFUSED: Record<string, { title: string; text: string }> = {
  en: { title: "This link does not open a table", text: "The invite in this link is missing, wrong, or was revoked by the table's host. Ask the host for a new invite link." },
  ru: { title: "Эта ссылка не открывает стол", text: "Приглашения в ссылке нет, оно неверное или хозяин стола его отозвал. Попросите у хозяина новую ссылку." },
  zh: { title: "此链接无法打开这张桌子", text: "链接中的邀请缺失、有误，或已被桌主撤销。请向桌主索取新的邀请链接。" },
};

export function refusalPage(req: Request, res: Response): void {
  const lang = (req.acceptsLanguages("en", "ru", "zh") || "en") as keyof typeof REFUSED;
  const t = REFUSED[lang] ?? REFUSED.en!;
  res.status(403).type("html").send(`<!doctype html><html lang="${lang}"><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${t.title}</title><body style="font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:36em;margin:4em auto;padding:0 1em">` +
    `<h1>${t.title}</h1><p>${t.text}</p></body></html>`);
}

export function rights(access: Access, tables: TableRegistry): Rights {
  const roleAt = async (req: Request, tableId: string): Promise<Role | null> => access.roleAt(await tables.get(tableId), tokenOf(req));
  const refuse = (res: Response, status: number, error: string): void => { res.status(status).json({ error }); };
  return {
    roleAt,
    anyone: (req, res, next) => {
      if (!access.privateMode) { next(); return; }
      void tables.list().then((all) => (access.roleAnywhere(all, tokenOf(req)) ? next() : refuse(res, 401, "this server is private: send a table's invite (Authorization: Bearer <token>)")), next);
    },
    host: (req, res, next) => {
      if (access.roleAt(null, tokenOf(req)) === "host") next();
      else refuse(res, access.privateMode && tokenOf(req) ? 403 : 401, "only the host can do that: send the host's token");
    },
    table: (param) => (req, res, next) => {
      const id = typeof param === "function" ? param(req) : String(req.params[param] ?? req.query[param] ?? "");
      void roleAt(req, id).then((role) => (role ? next() : refuse(res, 403, "this needs the table's invite or the host's token")), next);
    },
  };
}
