/** Seating an avatar of one's own: a VRM file (0.x or 1.0, e.g. from VRoid Hub) for a character. */
import i18next from "i18next";
import { api } from "../net/place.js";

export async function uploadAvatar(characterId: string, file: Blob): Promise<void> {
  const res = await api(`/api/avatars/${encodeURIComponent(characterId)}`, { method: "PUT", body: file, headers: { "content-type": "model/gltf-binary" } });
  if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? i18next.t("errors.uploadFailed", { status: res.status }));
}

export async function resetAvatar(characterId: string): Promise<void> {
  const res = await api(`/api/avatars/${encodeURIComponent(characterId)}`, { method: "DELETE" });
  if (!res.ok) throw new Error(i18next.t("errors.resetFailed", { status: res.status }));
}
