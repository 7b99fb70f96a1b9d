/**
 * Where this page is: which table (`/` is the default one, `/t/<id>` any other)
 * or the list of tables (`/tables`), and the invite it was opened with. A
 * private server wants that invite on everything: the join, every API call
 * (Authorization: Bearer) and every link or file the page loads (?invite=).
 */
export type PageKind = "table" | "tables" | "studio";

export interface Place {
  page: PageKind;
  /** the table to join ("main" is the default one) */
  tableId: string;
  /** the invite (a table's, or the host's), "" when the page has none */
  invite: string;
}

const INVITE_KEY = "parley.invite";

export function placeOf(pathname: string, search: string): Place {
  const q = new URLSearchParams(search);
  const fromUrl = q.get("invite") ?? "";
  let kept = "";
  try { kept = sessionStorage.getItem(INVITE_KEY) ?? ""; } catch { /* storage off */ }
  const invite = fromUrl || kept;
  const t = /^\/t\/([^/?#]+)/.exec(pathname);
  const page: PageKind = pathname.startsWith("/tables") ? "tables" : pathname.startsWith("/studio") ? "studio" : "table";
  return { page, tableId: t ? decodeURIComponent(t[1]!) : "main", invite };
}

let here: Place | null = null;

/** This page's place (read once). */
export function currentPlace(): Place {
  if (!here) {
    here = placeOf(window.location.pathname, window.location.search);
    // the invite stays with this tab when it moves between a table and the list
    try { if (here.invite) sessionStorage.setItem(INVITE_KEY, here.invite); } catch { /* storage off */ }
  }
  return here;
}

/** `url` with this page's invite added (for links, downloads and files a loader fetches); only ever for this server's own paths. */
export function withInvite(url: string, place: Place = currentPlace()): string {
  if (!place.invite || !url.startsWith("/") || url.startsWith("//")) return url;
  return `${url}${url.includes("?") ? "&" : "?"}invite=${encodeURIComponent(place.invite)}`;
}

/** A table's page, with the invite. */
export function tableHref(id: string, place: Place = currentPlace()): string {
  return withInvite(id === "main" ? "/" : `/t/${encodeURIComponent(id)}`, place);
}

/** fetch() with this page's invite as a bearer token. */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  const { invite } = currentPlace();
  const headers = new Headers(init.headers);
  if (invite) headers.set("authorization", `Bearer ${invite}`);
  return fetch(path, { ...init, headers });
}

/** `path` for the current table (`?table=<id>` on routes that serve every table). */
export function forTable(path: string): string {
  const { tableId } = currentPlace();
  return tableId === "main" ? path : `${path}${path.includes("?") ? "&" : "?"}table=${encodeURIComponent(tableId)}`;
}
