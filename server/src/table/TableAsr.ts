/**
 * The recognizer for a table: people's speech is recognized in the table's
 * language. A stream asked for in the language "table" (PARLEY_ASR_LANGUAGE's
 * default) gets the table's language as its hint (Whisper's language token, the
 * transcription server's `language`); with PARLEY_ASR=streaming each language
 * gets its own zipformer, created on first use.
 */
import type { Language } from "@parley/shared";
import type { AsrOptions, AsrProvider, AsrStream } from "../asr/types.js";
import { createAsr, type AsrDeps } from "../asr/providers.js";
import type { ParleyConfig } from "../config.js";
import type { ModelStatus } from "../models/ModelStatus.js";
import { log } from "../util/log.js";
import type { TableLanguage } from "../i18n/TableLanguage.js";
import { LANGUAGE_PROFILES } from "../i18n/languages.js";

/** PARLEY_ASR_LANGUAGE's value meaning "the table's language" */
export const TABLE_ASR_LANGUAGE = "table";

export class TableAsr implements AsrProvider {
  private readonly made = new Map<Language, AsrProvider>();

  /**
   * @param forLanguage the recognizer for a language; it may return the same
   *   provider for several languages (Whisper is multilingual)
   */
  constructor(private readonly language: TableLanguage, private readonly forLanguage: (language: Language) => AsrProvider) {
    // a recognizer that cannot be made (a missing URL) is a startup error, not a surprise at the first word
    this.current();
  }

  private current(): AsrProvider {
    const l = this.language.get();
    let p = this.made.get(l);
    if (!p) { p = this.forLanguage(l); this.made.set(l, p); }
    return p;
  }

  get label(): string { return this.current().label; }
  get streaming(): boolean { return this.current().streaming; }

  prepare(signal?: AbortSignal): Promise<void> { return this.current().prepare(signal); }

  start(opts: AsrOptions): AsrStream {
    const language = opts.language === TABLE_ASR_LANGUAGE ? LANGUAGE_PROFILES[this.language.get()].asr : opts.language;
    return this.current().start({ ...opts, language });
  }

  /** The recognizers are shared by every table speaking their language: their owner closes them (recognizers()). */
  async close(): Promise<void> {
    this.made.clear();
  }
}

/**
 * The configured recognizer (PARLEY_ASR, not "none") for each language, shared
 * by every table: Whisper and transcription servers are one provider for every
 * language; streaming zipformers are one per language (unless PARLEY_ASR_MODEL
 * names one).
 */
export function recognizers(config: ParleyConfig, models: ModelStatus): { forLanguage: (l: Language) => AsrProvider; close: () => Promise<void> } {
  const deps: AsrDeps = { config, models };
  const byKey = new Map<string, AsrProvider>();
  return {
    forLanguage: (l) => {
      const asrLanguage = config.asrLanguage === TABLE_ASR_LANGUAGE ? LANGUAGE_PROFILES[l].asr : config.asrLanguage;
      const key = config.asr === "streaming" && !config.asrModel ? asrLanguage : "";
      let p = byKey.get(key);
      if (!p) {
        const made = createAsr({ asr: config.asr, asrModel: config.asrModel, asrLanguage, asrUrl: config.asrUrl, asrApiKey: config.asrApiKey, asrPartialMs: config.asrPartialMs }, deps);
        if (made.note) log.info(`speech recognition: ${made.note}`);
        if (!made.provider) throw new Error(`no recognizer for PARLEY_ASR=${config.asr}`);
        p = made.provider;
        byKey.set(key, p);
      }
      return p;
    },
    close: async () => { await Promise.all([...byKey.values()].map((p) => p.close())); byKey.clear(); },
  };
}
