/**
 * Whisper's tokenizer, decoding side: GPT-2 byte-level BPE ids back to text, and
 * the special tokens the decoder prompt needs (<|startoftranscript|>, language
 * tokens, <|transcribe|>, <|notimestamps|>, <|endoftext|>, <|nospeech|>). Read from
 * a Hugging Face `tokenizer.json` (model.vocab + added_tokens) or from `vocab.json`
 * plus `added_tokens.json`.
 */
import { AsrError } from "./errors.js";

/** GPT-2's reversible byte <-> printable character map. */
function byteTables(): { toChar: string[]; toByte: Map<string, number> } {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const toChar: string[] = new Array<string>(256);
  let n = 0;
  for (let b = 0; b < 256; b++) toChar[b] = String.fromCharCode(printable.includes(b) ? b : 256 + n++);
  return { toChar, toByte: new Map(toChar.map((c, b) => [c, b])) };
}
const BYTES = byteTables();

/** Text or bytes in the byte-level alphabet vocab entries are written in ("Ġhello", "ÐŁÑĢÐ¸Ð²ÐµÑĤ"...). */
export function byteLevelEncode(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  return Array.from(bytes, (b) => BYTES.toChar[b]!).join("");
}

export interface WhisperSpecials {
  eot: number;
  sot: number;
  transcribe: number;
  translate: number | undefined;
  noTimestamps: number | undefined;
  noSpeech: number | undefined;
  /** language code ("en") -> token id, in vocabulary order */
  languages: Map<string, number>;
}

interface TokenizerJson {
  model?: { vocab?: Record<string, number> };
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

export class WhisperTokenizer {
  readonly specials: WhisperSpecials;
  private readonly idToToken: string[] = [];
  private readonly special = new Set<number>();
  private readonly decoder = new TextDecoder("utf-8", { fatal: false });

  constructor(vocab: Record<string, number>, added: Record<string, number>) {
    for (const [tok, id] of Object.entries(vocab)) this.idToToken[id] = tok;
    for (const [tok, id] of Object.entries(added)) { this.idToToken[id] = tok; this.special.add(id); }
    const need = (name: string): number => {
      const id = added[name] ?? vocab[name];
      if (id === undefined) throw new AsrError(`tokenizer has no ${name} token; is this a Whisper model?`);
      return id;
    };
    const languages = new Map<string, number>();
    const langTokens = Object.entries(added).filter(([t]) => /^<\|[a-z]{2,3}\|>$/.test(t)).sort((a, b) => a[1] - b[1]);
    for (const [t, id] of langTokens) languages.set(t.slice(2, -2), id);
    this.specials = {
      eot: need("<|endoftext|>"),
      sot: need("<|startoftranscript|>"),
      transcribe: need("<|transcribe|>"),
      translate: added["<|translate|>"],
      noTimestamps: added["<|notimestamps|>"],
      noSpeech: added["<|nospeech|>"] ?? added["<|nocaptions|>"],
      languages,
    };
  }

  static fromTokenizerJson(json: unknown): WhisperTokenizer {
    const t = json as TokenizerJson;
    if (!t?.model?.vocab) throw new AsrError("tokenizer.json has no model.vocab");
    const added: Record<string, number> = {};
    for (const a of t.added_tokens ?? []) added[a.content] = a.id;
    return new WhisperTokenizer(t.model.vocab, added);
  }

  static fromVocabJson(vocab: Record<string, number>, addedTokens: Record<string, number>): WhisperTokenizer {
    return new WhisperTokenizer(vocab, addedTokens);
  }

  get vocabSize(): number { return this.idToToken.length; }
  isSpecial(id: number): boolean { return this.special.has(id) || id >= this.specials.eot; }
  token(id: number): string | undefined { return this.idToToken[id]; }

  /** Text of the ids, special tokens skipped; bytes are joined before UTF-8 decoding so split characters survive. */
  decode(ids: readonly number[]): string {
    const bytes: number[] = [];
    for (const id of ids) {
      if (this.isSpecial(id)) continue;
      const tok = this.idToToken[id];
      if (tok === undefined) continue;
      for (const ch of tok) {
        const b = BYTES.toByte.get(ch);
        if (b !== undefined) bytes.push(b);
        else bytes.push(...new TextEncoder().encode(ch));
      }
    }
    return this.decoder.decode(Uint8Array.from(bytes));
  }
}
