import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { Studio } from "./studio/Studio.js";
import { installParleyDebug } from "./debug/parleyDebug.js";
import { initI18n } from "./i18n/i18n.js";
import "./styles.css";

initI18n();
installParleyDebug();
// one page, two places: the table, and the character studio at /studio
createRoot(document.getElementById("root")!).render(location.pathname.startsWith("/studio") ? <Studio /> : <App />);
