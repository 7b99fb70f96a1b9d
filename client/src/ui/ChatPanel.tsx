/** Typing to the table: Enter sends. Errors from the room show under the field. */
import { useState, type FormEvent } from "react";
import { LIMITS } from "@parley/shared";
import { useUi } from "../state/store.js";

export function ChatPanel({ onSend, onStop }: { onSend: (text: string) => boolean; onStop: () => void }) {
  const [text, setText] = useState("");
  const connected = useUi((s) => s.connected);
  const busy = useUi((s) => Object.values(s.room.characters).some((c) => c.state === "speaking" || c.state === "thinking"));
  const lastError = useUi((s) => s.lastError);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    if (onSend(t)) setText("");
  };
  return (
    <form className="chat" onSubmit={submit}>
      <input
        aria-label="Message"
        placeholder={connected ? "Say something to the table… (try “Hello, Ada!”)" : "Connecting…"}
        value={text}
        maxLength={LIMITS.chatMaxChars}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => { if (e.key === "Escape") onStop(); }}
        autoComplete="off"
      />
      {busy && <button type="button" className="stop" onClick={onStop} title="Stop the speaker (Esc)">Stop</button>}
      <button type="submit" disabled={!connected || !text.trim()}>Send</button>
      {lastError && <p className="chat-error" role="alert">{lastError.message}</p>}
    </form>
  );
}
