import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { installParleyDebug } from "./debug/parleyDebug.js";
import "./styles.css";

installParleyDebug();
createRoot(document.getElementById("root")!).render(<App />);
