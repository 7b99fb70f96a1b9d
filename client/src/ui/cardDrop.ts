/** A character card dropped on the room: imported into the library, then seated at the table (it greets). */
import i18next from "i18next";
import { uiStore } from "../state/store.js";
import { importCard, isCardFile, seatCharacter } from "../studio/studioApi.js";
import { currentPlace } from "../net/place.js";

/** Returns false when the file is not a card (a .vrm, say), so the caller can handle it. */
export function dropCard(file: File): boolean {
  if (/\.(vrm|glb)$/i.test(file.name) || !isCardFile(file)) return false;
  const fail = (err: Error): void => uiStore.set({ lastError: { code: "bad_message", message: i18next.t("app.cardFailed", { error: err.message }), at: Date.now(), local: true } });
  void importCard(file).then((c) => seatCharacter(c.id, currentPlace().tableId)).catch(fail);
  return true;
}
