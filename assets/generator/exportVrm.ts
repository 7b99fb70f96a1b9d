// GLTFExporter (binary) -> GLB -> VRM 1.0 bytes. Works in Node: GLTFExporter
// reads its output Blob through FileReader, which Node lacks, so we polyfill it.
import { GLTFExporter } from "three/examples/jsm/exporters/GLTFExporter.js";
import { buildAvatar, type BuiltAvatar } from "./avatar.js";
import type { AvatarDescription } from "./description.js";
import { readGlb, writeGlb } from "./glb.js";
import { applyVrm } from "./vrmExtensions.js";

class NodeFileReader {
  result: ArrayBuffer | string | null = null;
  onloadend: (() => void) | null = null;
  onload: (() => void) | null = null;
  readAsArrayBuffer(blob: Blob): void {
    void blob.arrayBuffer().then((b) => this.done(b));
  }
  readAsDataURL(blob: Blob): void {
    void blob.arrayBuffer().then((b) => this.done(`data:${blob.type || "application/octet-stream"};base64,${Buffer.from(b).toString("base64")}`));
  }
  private done(r: ArrayBuffer | string): void {
    this.result = r;
    this.onload?.();
    this.onloadend?.();
  }
}

function ensureFileReader(): void {
  const g = globalThis as unknown as { FileReader?: unknown };
  if (typeof g.FileReader === "undefined") g.FileReader = NodeFileReader;
}

export async function exportVrm(built: BuiltAvatar): Promise<Uint8Array> {
  ensureFileReader();
  const exporter = new GLTFExporter();
  // trs: write translation/rotation/scale (translation only here) instead of matrices,
  // as VRM 1.0 humanoid bones must not carry rotation or scale.
  const out = await exporter.parseAsync(built.scene, { binary: true, onlyVisible: false, trs: true });
  if (!(out instanceof ArrayBuffer)) throw new Error("GLTFExporter did not return binary output");
  const { json, bin } = readGlb(out);
  applyVrm(json, built.vrm);
  return writeGlb(json, bin);
}

/** Convenience: description -> VRM bytes + stats. */
export async function generateVrm(desc: AvatarDescription): Promise<{ bytes: Uint8Array; stats: BuiltAvatar["stats"] }> {
  const built = buildAvatar(desc);
  const bytes = await exportVrm(built);
  return { bytes, stats: built.stats };
}
