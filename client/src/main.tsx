import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { TablesPage } from "./ui/TablesPage.js";
import { currentPlace } from "./net/place.js";
import { installParleyDebug } from "./debug/parleyDebug.js";
import { initI18n } from "./i18n/i18n.js";
import "./styles.css";

initI18n();
installParleyDebug();
createRoot(document.getElementById("root")!).render(currentPlace().page === "tables" ? <TablesPage /> : <App />);
