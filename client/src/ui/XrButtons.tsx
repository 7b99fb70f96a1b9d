/** Enter VR / Enter AR, shown only when this browser offers the session (a headset's browser, or an emulator). */
import { useEffect } from "react";
import { detectXr, requestXr, useXrUi } from "../xr/xrSupport.js";

export function XrButtons() {
  const supported = useXrUi((s) => s.supported);
  const requested = useXrUi((s) => s.requested);
  const error = useXrUi((s) => s.error);
  useEffect(() => { void detectXr(); }, []);
  if (!supported.vr && !supported.ar && !error) return null;
  return (
    <div className="xr-buttons">
      {supported.vr && <button disabled={requested !== null} onClick={() => void requestXr("vr")}>{requested === "vr" ? "In VR…" : "Enter VR"}</button>}
      {supported.ar && <button disabled={requested !== null} onClick={() => void requestXr("ar")}>{requested === "ar" ? "In AR…" : "Enter AR"}</button>}
      {error && <span className="xr-error" role="alert">{error}</span>}
    </div>
  );
}
