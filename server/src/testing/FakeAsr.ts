/**
 * A deterministic recognizer for transport and turn-taking tests. Each stream takes
 * the next line of its script (the last one repeats); the words of that line come
 * out as partials as non-silent audio accumulates (`msPerWord` of it per word), and
 * the whole line is the final after `end()`. An utterance with less than
 * `minSpeechMs` of non-silent audio is noise: its final is "". A script line can be a
 * backchannel ("mm-hm") like any other. Partials report the audio received so far.
 *
 * Script format: `script: ["hello there Ada", "", "mm-hm"]` or
 * `script: [{ text: "привет", language: "ru" }]`; "" always yields an empty final.
 */
import type { AsrOptions, AsrProvider, AsrResult, AsrStream } from "../asr/types.js";
import { ASR_SAMPLE_RATE } from "../asr/types.js";
import { ResultChannel } from "../asr/ResultChannel.js";
import { AsrError } from "../asr/errors.js";

export interface FakeAsrLine { text: string; language?: string }

export interface FakeAsrOptions {
  script: (string | FakeAsrLine)[];
  /** non-silent audio per word, ms */
  msPerWord: number;
  /** |sample| at or below this counts as silence */
  silenceLevel: number;
  /** less non-silent audio than this is noise: empty final, ms */
  minSpeechMs: number;
  /** delay between end() and the final, ms */
  finalDelayMs: number;
  /** emit partials at all */
  partials: boolean;
  /** language when a line names none */
  language: string;
  /** prepare() fails with this reason */
  failPrepare?: string;
}

export const FAKE_ASR_DEFAULTS: FakeAsrOptions = {
  script: ["hello there"], msPerWord: 250, silenceLevel: 300, minSpeechMs: 100, finalDelayMs: 0, partials: true, language: "en",
};

export class FakeAsr implements AsrProvider {
  readonly label = "fake";
  readonly streaming: boolean;
  readonly o: FakeAsrOptions;
  /** every stream's options and results, for assertions */
  readonly streams: { opts: AsrOptions; results: AsrResult[] }[] = [];
  private next = 0;

  constructor(opts: Partial<FakeAsrOptions> = {}) {
    this.o = { ...FAKE_ASR_DEFAULTS, ...opts };
    if (this.o.script.length === 0) throw new AsrError("FakeAsr needs at least one script line");
    this.streaming = this.o.partials;
  }

  async prepare(): Promise<void> {
    if (this.o.failPrepare) throw new AsrError(this.o.failPrepare, true);
  }

  start(opts: AsrOptions): AsrStream {
    const raw = this.o.script[Math.min(this.next++, this.o.script.length - 1)]!;
    const line = typeof raw === "string" ? { text: raw } : raw;
    const record = { opts, results: [] as AsrResult[] };
    this.streams.push(record);
    return new FakeStream(this.o, line, opts, record.results);
  }

  async close(): Promise<void> {}
}

class FakeStream implements AsrStream {
  readonly results: AsyncIterable<AsrResult>;
  private readonly channel: ResultChannel;
  private readonly words: string[];
  private readonly language: string;
  private samples = 0;
  private speechSamples = 0;
  private shown = 0;
  private ended = false;

  constructor(private readonly o: FakeAsrOptions, line: FakeAsrLine, opts: AsrOptions, log: AsrResult[]) {
    this.channel = new ResultChannel(opts.signal);
    this.words = line.text.split(/\s+/).filter(Boolean);
    this.language = line.language ?? o.language;
    const inner = this.channel.results;
    this.results = (async function* () {
      for await (const r of inner) { log.push(r); yield r; }
    })();
  }

  push(pcm: Int16Array): void {
    if (this.ended || this.channel.closed) return;
    this.samples += pcm.length;
    for (const s of pcm) if (Math.abs(s) > this.o.silenceLevel) this.speechSamples++;
    if (!this.o.partials) return;
    const perWord = (this.o.msPerWord * ASR_SAMPLE_RATE) / 1000;
    const due = Math.min(this.words.length, Math.floor(this.speechSamples / perWord));
    if (due > this.shown) {
      this.shown = due;
      this.channel.partial(this.words.slice(0, due).join(" "), this.ms(), this.language);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const speechMs = (this.speechSamples * 1000) / ASR_SAMPLE_RATE;
    const text = speechMs < this.o.minSpeechMs ? "" : this.words.join(" ");
    const emit = (): void => this.channel.final(text, this.ms(), this.language);
    if (this.o.finalDelayMs > 0) setTimeout(emit, this.o.finalDelayMs);
    else queueMicrotask(emit);
  }

  private ms(): number { return (this.samples * 1000) / ASR_SAMPLE_RATE; }
}
