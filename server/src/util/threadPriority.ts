/**
 * Background work in a worker thread (recognition) should never keep the room's
 * event loop waiting for a core: on a machine whose cores are all busy, the
 * kernel runs whichever thread it owes most, and a recognizer decoding on every
 * core would delay the next audio frame or a barge-in by a scheduler slice or
 * more. Linux keeps a nice value per thread, and threads inherit it when they are
 * started (onnxruntime's pool is started with the first session), so the calling
 * thread lowers only itself and what it starts. Elsewhere os.setPriority(0, …)
 * would lower the whole process, so nothing is done there.
 */
import { platform, setPriority } from "node:os";

/** nice 10: about a tenth of a core's share against a nice-0 thread that wants the same core */
export const BACKGROUND_NICE = 10;

/** Lowers this thread's scheduling priority (Linux only); returns whether it did. */
export function lowerThisThreadPriority(nice = BACKGROUND_NICE): boolean {
  if (platform() !== "linux") return false;
  try {
    setPriority(0, nice);
    return true;
  } catch {
    // a sandbox that forbids it: the thread keeps the process's priority
    return false;
  }
}
