import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// In development (`vite`), point the client at a running server with VITE_PARLEY_SERVER=http://127.0.0.1:2567.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  server: { host: "127.0.0.1" },
});
