import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { TablesPage } from "./ui/TablesPage.js";
import { Studio } from "./studio/Studio.js";
import { currentPlace } from "./net/place.js";
import { installParleyDebug } from "./debug/parleyDebug.js";
import { initI18n } from "./i18n/i18n.js";
import "./styles.css";

initI18n();
installParleyDebug();
// one page, three places: a table, the list of tables, and the character studio
const page = currentPlace().page;
createRoot(document.getElementById("root")!).render(page === "tables" ? <TablesPage /> : page === "studio" ? <Studio /> : <App />);
