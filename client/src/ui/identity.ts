/** This browser's stable, private id: characters remember the person behind it across visits. */
const KEY = "parley.personId";

export function personId(): string {
  try {
    let id = localStorage.getItem(KEY);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = crypto.randomUUID().replace(/-/g, "");
      localStorage.setItem(KEY, id);
    }
    return id;
  } catch {
    // private mode: a fresh id per visit, so nothing is remembered
    return crypto.randomUUID().replace(/-/g, "");
  }
}
