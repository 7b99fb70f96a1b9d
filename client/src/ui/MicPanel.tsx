/**
 * Talking to the table by voice: microphone on/off, hands-free or push-to-talk
 * (hold the button or the space bar), mute, a level meter and a "you are
 * speaking" light. Fast values are read per animation frame, not through React.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Microphone } from "../voice/Microphone.js";
import { voiceStatus, type MicMode, type MicState } from "../voice/voiceStore.js";
import { runtime } from "../state/runtime.js";
import { loopbackHelps, setSpeakerEchoWanted, speakerEchoWanted } from "../audio/AecLoopback.js";

/** Speakers or headphones: the echo-cancelling loop (Chromium) is worth its small delay only with speakers. */
function SpeakerEcho() {
  const { t } = useTranslation();
  const [on, setOn] = useState(speakerEchoWanted);
  if (!loopbackHelps()) return null;
  return (
    <label className="check" title={t("mic.speakerEchoHint")}>
      <input type="checkbox" aria-label={t("mic.speakerEcho")} checked={on}
        onChange={(e) => { const v = e.target.checked; setOn(v); setSpeakerEchoWanted(v); void runtime.audio?.loopback.want(v); }} />
      {t("mic.speakerEcho")}
    </label>
  );
}

const isTyping = (el: EventTarget | null): boolean => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;

/** A microphone failure in the page's language when the browser names a known one, else the browser's words. */
function micError(t: ReturnType<typeof useTranslation>["t"], name: string, message: string): string {
  const known: Record<string, string> = { NotAllowedError: t("mic.denied"), NotFoundError: t("mic.notFound"), NotReadableError: t("mic.busy"), SecurityError: t("mic.insecure") };
  return t("mic.error", { error: known[name] ?? message });
}

export function MicPanel({ mic }: { mic: Microphone }) {
  const { t } = useTranslation();
  const [state, setState] = useState<MicState>(voiceStatus.mic);
  const [mode, setMode] = useState<MicMode>(voiceStatus.mode);
  const [error, setError] = useState("");
  const meter = useRef<HTMLDivElement>(null);
  const light = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    let raf = 0;
    const tick = (): void => {
      if (meter.current) meter.current.style.width = `${Math.round(voiceStatus.level * 100)}%`;
      if (light.current) light.current.dataset.on = voiceStatus.speaking ? "1" : "0";
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    // the slow parts (state, errors) re-render a few times a second at most
    const iv = setInterval(() => { setState(voiceStatus.mic); setError(voiceStatus.error); }, 250);
    return () => { cancelAnimationFrame(raf); clearInterval(iv); };
  }, []);

  useEffect(() => {
    if (mode !== "ptt" || (state !== "on" && state !== "muted")) return;
    const down = (e: KeyboardEvent): void => { if (e.code === "Space" && !e.repeat && !isTyping(e.target)) { e.preventDefault(); mic.pressTalk(); } };
    const up = (e: KeyboardEvent): void => { if (e.code === "Space" && !isTyping(e.target)) { e.preventDefault(); mic.releaseTalk(); } };
    window.addEventListener("keydown", down);
    window.addEventListener("keyup", up);
    return () => { window.removeEventListener("keydown", down); window.removeEventListener("keyup", up); };
  }, [mic, mode, state]);

  const on = state === "on" || state === "muted";
  return (
    <div className="mic" aria-label={t("mic.label")}>
      <button className="mic-toggle" aria-pressed={on} onClick={() => void (on ? mic.stop() : mic.start(mode)).then(() => setState(voiceStatus.mic))}>
        {state === "starting" ? t("mic.starting") : on ? t("mic.on") : t("mic.off")}
      </button>
      <select aria-label={t("mic.mode")} value={mode} onChange={(e) => { const m = e.target.value as MicMode; setMode(m); mic.setMode(m); }}>
        <option value="handsfree">{t("mic.handsfree")}</option>
        <option value="ptt">{t("mic.ptt")}</option>
      </select>
      {on && (
        <>
          <button aria-pressed={state === "muted"} onClick={() => { mic.setMuted(state !== "muted"); setState(voiceStatus.mic); }}>{state === "muted" ? t("mic.unmute") : t("mic.mute")}</button>
          {mode === "ptt" && (
            <button className="ptt" onPointerDown={() => mic.pressTalk()} onPointerUp={() => mic.releaseTalk()} onPointerLeave={() => mic.releaseTalk()}>{t("mic.hold")}</button>
          )}
          <div className="meter" aria-hidden="true"><div ref={meter} /></div>
          <span ref={light} className="speaking-light" data-on="0" title={t("mic.speaking")}>●</span>
        </>
      )}
      <SpeakerEcho />
      {state === "error" && <span className="mic-error" role="alert">{micError(t, voiceStatus.errorName, error)}</span>}
    </div>
  );
}
