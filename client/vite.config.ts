import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Finds a package's folder in node_modules above the client (npm hoists to the root). */
function pkgDir(name: string): string {
  for (let dir = here; ; dir = dirname(dir)) {
    const p = join(dir, "node_modules", name);
    if (existsSync(p)) return p;
    if (dirname(dir) === dir) throw new Error(`cannot find ${name}`);
  }
}

/**
 * Silero VAD runs in the browser: its model, its audio worklet and the ONNX
 * runtime's WebAssembly are served from /vad/, copied from their npm packages
 * (nothing is fetched from a CDN).
 */
function vadAssets(): Plugin {
  const files: Record<string, string> = {
    "vad.worklet.bundle.min.js": join(pkgDir("@ricky0123/vad-web"), "dist", "vad.worklet.bundle.min.js"),
    "silero_vad_v5.onnx": join(pkgDir("@ricky0123/vad-web"), "dist", "silero_vad_v5.onnx"),
    "ort-wasm-simd-threaded.wasm": join(pkgDir("onnxruntime-web"), "dist", "ort-wasm-simd-threaded.wasm"),
    "ort-wasm-simd-threaded.mjs": join(pkgDir("onnxruntime-web"), "dist", "ort-wasm-simd-threaded.mjs"),
  };
  const types: Record<string, string> = { js: "text/javascript", mjs: "text/javascript", wasm: "application/wasm", onnx: "application/octet-stream" };
  return {
    name: "parley-vad-assets",
    configureServer(server) {
      server.middlewares.use("/vad", (req, res, next) => {
        const name = (req.url ?? "").replace(/^\//, "").split("?")[0]!;
        const file = files[name];
        if (!file) { next(); return; }
        res.setHeader("content-type", types[name.split(".").pop()!] ?? "application/octet-stream");
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [name, file] of Object.entries(files)) this.emitFile({ type: "asset", fileName: `vad/${name}`, source: readFileSync(file) });
    },
  };
}

/**
 * @react-three/xr can inject Meta's emulator (with its synthetic rooms, ~6 MB)
 * through a dynamic import. Parley turns that off (tests install the emulator
 * themselves), so the chunk is never loaded: leave it out of the build.
 */
function noBundledXrEmulator(): Plugin {
  const id = "\0parley-no-xr-emulator";
  return {
    name: "parley-no-xr-emulator",
    enforce: "pre",
    resolveId(source, importer) {
      return source === "./emulate.js" && importer && /[\\/]@pmndrs[\\/]xr[\\/]dist[\\/]/.test(importer) ? id : null;
    },
    load(loaded) {
      return loaded === id ? 'export function emulate() { throw new Error("Parley builds without the WebXR emulator"); }' : null;
    },
  };
}

// In development (`vite`), point the client at a running server with VITE_PARLEY_SERVER=http://127.0.0.1:2567.
export default defineConfig({
  root: here,
  plugins: [react(), vadAssets(), noBundledXrEmulator()],
  build: { outDir: resolve(here, "dist"), emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  server: { host: "127.0.0.1" },
});
