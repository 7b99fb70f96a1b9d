/** The machine's measured profile, kept in the cache (models/machineProfile.ts). */
export { profilePath, readProfile, writeProfile, markTooSlow } from "../models/machineProfile.js";
