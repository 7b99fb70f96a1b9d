/** Typing to the table: Enter sends. Errors from the room show under the field. */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { LIMITS } from "@parley/shared";
import { useUi } from "../state/store.js";
import { errorText } from "../i18n/phrases.js";

export function ChatPanel({ onSend, onStop }: { onSend: (text: string) => boolean; onStop: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const connected = useUi((s) => s.connected);
  const busy = useUi((s) => Object.values(s.room.characters).some((c) => c.state === "speaking" || c.state === "thinking"));
  const lastError = useUi((s) => s.lastError);
  // the example names the first character at the table, in the table's language
  const example = useUi((s) => Object.values(s.room.characters).sort((a, b) => a.seat - b.seat)[0]?.name ?? "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const line = text.trim();
    if (!line) return;
    if (onSend(line)) setText("");
  };
  return (
    <form className="chat" onSubmit={submit}>
      <input
        data-testid="message"
        aria-label={t("chat.label")}
        placeholder={!connected ? t("chat.connecting") : example ? t("chat.placeholder", { name: example }) : t("chat.placeholderNoCast")}
        value={text}
        maxLength={LIMITS.chatMaxChars}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => { if (e.key === "Escape") onStop(); }}
        autoComplete="off"
      />
      {busy && <button type="button" className="stop" onClick={onStop} title={t("chat.stopTitle")}>{t("chat.stop")}</button>}
      <button type="submit" disabled={!connected || !text.trim()}>{t("chat.send")}</button>
      {lastError && <p className="chat-error" role="alert">{lastError.local ? lastError.message : errorText(t, lastError)}</p>}
    </form>
  );
}
