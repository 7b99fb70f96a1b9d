/**
 * Portraits of avatars, rendered in a worker thread and kept: by file, its
 * modification time and the backdrop colour, the last few dozen in memory.
 */
import { Worker } from "node:worker_threads";
import { readFile, stat } from "node:fs/promises";
import type { PortraitSize } from "./renderPortrait.js";

const KEEP = 32;

export class Portraits {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (png: Uint8Array) => void; reject: (err: Error) => void }>();
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL("./portrait.worker.mjs", import.meta.url));
    w.unref();
    w.on("message", (m: { id: number; png?: Uint8Array; error?: string }) => {
      const job = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.png) job?.resolve(m.png);
      else job?.reject(new Error(`the portrait could not be drawn: ${m.error ?? "?"}`));
    });
    w.on("error", (err) => this.fail(err));
    w.on("exit", () => { this.fail(new Error("the portrait renderer stopped")); this.worker = null; });
    this.worker = w;
    return w;
  }

  private fail(err: Error): void {
    for (const job of this.waiting.values()) job.reject(err);
    this.waiting.clear();
  }

  /** A PNG portrait of the VRM at `file` over a backdrop of `color`. */
  async of(file: string, color: string, size: PortraitSize = "card"): Promise<Uint8Array> {
    const key = `${file}\n${(await stat(file)).mtimeMs}\n${color}\n${size}`;
    let p = this.cache.get(key);
    if (!p) {
      p = readFile(file).then((bytes) => this.render(new Uint8Array(bytes), color, size));
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
      while (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value!);
    }
    return p;
  }

  render(vrm: Uint8Array, color: string, size: PortraitSize = "card"): Promise<Uint8Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.start().postMessage({ id, vrm, color, size });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
  }
}
