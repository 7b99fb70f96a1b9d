/** The director's seeded randomness (shared with the client's avatar drivers). */
export { seededRandom } from "@parley/shared";
