/** The shape of window.parleyDebug as tests read it. */
export type { ParleyDebug } from "../../client/src/debug/parleyDebug.js";
