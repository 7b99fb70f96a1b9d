/** A card that cannot be imported or exported, with the HTTP status that says why. */
export class CardError extends Error {
  /**
   * @param status 400 unreadable, 413 too large, 415 not a card format, 422 a card whose contents are wrong
   * @param field the card field at fault ("data.name"), when there is one
   */
  constructor(message: string, readonly status: 400 | 404 | 409 | 413 | 415 | 422 = 400, readonly field = "") {
    super(message);
    this.name = "CardError";
  }
}
