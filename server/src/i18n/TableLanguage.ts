/**
 * The language a table speaks, and the one place it is read. Everything that
 * depends on it (the cast's names and personas, the prompt, the segmenter, the
 * voices, the recognizer, memories, the transcript export) asks this object, so
 * the language can change while the table is open. Today it starts from the
 * configuration (PARLEY_LANGUAGE) and the table's settings change it; a table
 * created with a language of its own would construct it with that one.
 */
import { EventEmitter } from "node:events";
import type { Language } from "@parley/shared";

export class TableLanguage extends EventEmitter<{ change: [Language] }> {
  constructor(private value: Language) {
    super();
  }

  get(): Language { return this.value; }

  set(language: Language): void {
    if (language === this.value) return;
    this.value = language;
    this.emit("change", language);
  }

  /** Calls `fn` now and at every change; returns the unsubscribe. */
  follow(fn: (language: Language) => void): () => void {
    fn(this.value);
    this.on("change", fn);
    return () => { this.off("change", fn); };
  }
}
