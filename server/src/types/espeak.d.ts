declare module "@echogarden/espeak-ng-emscripten" {
  interface EspeakEvent { type: string; audio_position: number; text_position: number; word_length: number; id?: string | number }
  interface EspeakVoice { name: string; identifier: string; languages: { priority: number; name: string }[] }
  interface EspeakWorker {
    samplerate: number;
    set_voice(id: string): void;
    set_rate(wpm: number): void;
    set_pitch(p: number): void;
    synthesize(text: string, cb: (samples: Int16Array | undefined, events: EspeakEvent[]) => number | void): void;
    list_voices(): EspeakVoice[];
    synthesize_ipa(text: string): { code: number; ipa: string };
  }
  const init: () => Promise<{ eSpeakNGWorker: new () => EspeakWorker }>;
  export default init;
}
