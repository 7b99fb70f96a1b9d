/**
 * Watches what the page really plays: an AudioWorklet on the master bus marks
 * each moment the output turns audible or silent (a 128-sample block above or
 * below -60 dBFS), on the audio clock, so "the voice stopped" is observed on the
 * audio graph rather than inferred from a stop call. Times are mapped to the
 * wall clock when the mark reaches the page.
 */
const PROCESSOR = `
class ParleyOutputMeter extends AudioWorkletProcessor {
  constructor() { super(); this.audible = false; }
  process(inputs) {
    let peak = 0;
    for (const channel of inputs[0] || []) for (let i = 0; i < channel.length; i++) { const v = Math.abs(channel[i]); if (v > peak) peak = v; }
    const audible = peak > 0.001;
    if (audible !== this.audible) { this.audible = audible; this.port.postMessage({ audible, t: currentTime }); }
    return true;
  }
}
registerProcessor("parley-output-meter", ParleyOutputMeter);
`;

export interface OutputMark { audible: boolean; /** wall clock, ms */ at: number }

/** the processor, added once per audio context (the page's meter and the echo loop's two share it) */
const modules = new WeakMap<BaseAudioContext, Promise<void>>();
function loaded(ctx: AudioContext): Promise<void> {
  let p = modules.get(ctx);
  if (!p) {
    const url = URL.createObjectURL(new Blob([PROCESSOR], { type: "application/javascript" }));
    p = ctx.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
    modules.set(ctx, p);
  }
  return p;
}

export class OutputMeter {
  readonly marks: OutputMark[] = [];

  private node: AudioWorkletNode | null = null;
  private closed = false;

  /** @param onMark told after each mark is kept */
  constructor(ctx: AudioContext, source: AudioNode, toWall: (contextTime: number) => number, onMark: (m: OutputMark) => void = () => {}) {
    void loaded(ctx).then(() => {
      if (this.closed) return;
      const node = new AudioWorkletNode(ctx, "parley-output-meter", { numberOfInputs: 1, numberOfOutputs: 1 });
      this.node = node;
      // pulled through a muted gain to the destination, so the graph always renders it
      const mute = ctx.createGain();
      mute.gain.value = 0;
      source.connect(node).connect(mute).connect(ctx.destination);
      node.port.onmessage = (e: MessageEvent<{ audible: boolean; t: number }>) => {
        const m = { audible: e.data.audible, at: toWall(e.data.t) };
        this.marks.push(m);
        if (this.marks.length > 400) this.marks.shift();
        onMark(m);
      };
    }).catch(() => { /* no AudioWorklet (an old browser): the marks stay empty */ });
  }

  /** Stops watching (the source may stay). */
  close(): void {
    this.closed = true;
    if (this.node) { this.node.port.onmessage = null; this.node.disconnect(); this.node = null; }
  }
}
