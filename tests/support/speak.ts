/** A person's microphone from the SDK: 16 kHz PCM sent in 32 ms frames, paced on the wall clock. */
import type { Room } from "@colyseus/sdk";

export async function streamSpeech(room: Room, pcm: Int16Array): Promise<void> {
  const t0 = performance.now();
  for (let i = 0, k = 0; i < pcm.length; i += 512, k++) {
    room.sendBytes("speech:audio", new Uint8Array(pcm.slice(i, i + 512).buffer));
    const wait = t0 + (k + 1) * 32 - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  }
}
