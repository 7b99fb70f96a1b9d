/**
 * How much the renderer can afford. A software renderer (SwiftShader, llvmpipe)
 * or `?quality=low` gets the light profile: no multisampling, 1x pixel ratio and
 * no MToon outlines (they double every avatar's geometry). `?quality=high` forces
 * the full look.
 */
export interface Quality { name: "low" | "high"; antialias: boolean; dpr: number; outlines: boolean }

function softwareRenderer(): boolean {
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return true;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const name = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return /swiftshader|llvmpipe|software|basic render/i.test(name);
  } catch {
    return false;
  }
}

function decide(): Quality {
  const forced = typeof location === "undefined" ? null : new URLSearchParams(location.search).get("quality");
  const low = forced === "low" || (forced !== "high" && softwareRenderer());
  return low
    ? { name: "low", antialias: false, dpr: 1, outlines: false }
    : { name: "high", antialias: true, dpr: Math.min(window.devicePixelRatio, 2), outlines: true };
}

export const QUALITY: Quality = typeof window === "undefined" ? { name: "high", antialias: true, dpr: 1, outlines: true } : decide();
