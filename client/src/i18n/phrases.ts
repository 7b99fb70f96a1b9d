/**
 * Phrases built from data: server errors (by their code, so they read in the
 * page's language; the server's own words stay as the detail) and how long ago
 * something was remembered (with the language's plural rules).
 */
import type { TFunction } from "i18next";
import { LIMITS, type ErrorPayload } from "@parley/shared";

export function errorText(t: TFunction, e: ErrorPayload): string {
  switch (e.code) {
    case "too_long": return t("errors.too_long", { max: LIMITS.chatMaxChars });
    case "too_fast": return t("errors.too_fast", { count: LIMITS.chatBurst, seconds: LIMITS.chatWindowMs / 1000 });
    case "unknown_message": return t("errors.unknown_message");
    case "llm_unavailable": return t("errors.llm_unavailable");
    case "no_speaking_rights": return t("errors.no_speaking_rights");
    case "bad_message": return t("errors.bad_message", { detail: e.message });
    case "llm_failed": return t("errors.llm_failed", { detail: e.message });
    case "tts_failed": return t("errors.tts_failed", { detail: e.message });
    case "asr_failed": return t("errors.asr_failed", { detail: e.message });
    case "forbidden": return t("errors.forbidden", { detail: e.message });
    default: return e.message;
  }
}

const MINUTE_MS = 60_000;

/** "just now", "5 минут назад", "3 天前": whole minutes, hours or days before `now`. */
export function agoText(t: TFunction, at: number, now = Date.now()): string {
  const minutes = Math.floor((now - at) / MINUTE_MS);
  if (minutes < 1) return t("ago.justNow");
  if (minutes < 60) return t("ago.minutes", { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t("ago.hours", { count: hours });
  return t("ago.days", { count: Math.floor(hours / 24) });
}
