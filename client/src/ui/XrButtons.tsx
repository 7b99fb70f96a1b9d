/** Enter VR / Enter AR, shown only when this browser offers the session (a headset's browser, or an emulator). */
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { detectXr, requestXr, useXrUi } from "../xr/xrSupport.js";

export function XrButtons() {
  const { t } = useTranslation();
  const supported = useXrUi((s) => s.supported);
  const requested = useXrUi((s) => s.requested);
  const error = useXrUi((s) => s.error);
  useEffect(() => { void detectXr(); }, []);
  if (!supported.vr && !supported.ar && !error) return null;
  return (
    <div className="xr-buttons">
      {supported.vr && <button disabled={requested !== null} onClick={() => void requestXr("vr")}>{requested === "vr" ? t("xr.inVr") : t("xr.enterVr")}</button>}
      {supported.ar && <button disabled={requested !== null} onClick={() => void requestXr("ar")}>{requested === "ar" ? t("xr.inAr") : t("xr.enterAr")}</button>}
      {error && <span className="xr-error" role="alert">{error}</span>}
    </div>
  );
}
