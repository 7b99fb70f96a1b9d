/**
 * Reading a person's words at the end of their speech: a short backchannel
 * ("mm-hm", "угу", "嗯") is not a turn, and a sentence that trails off ("so I
 * was thinking that...") means they are probably not done yet.
 */
const BACKCHANNELS = new Set([
  // English
  "mm", "mhm", "mm-hm", "mm hm", "mmhm", "uh-huh", "uh huh", "yeah", "yep", "yes", "ok", "okay", "right", "sure", "i see", "oh", "ah", "hmm", "huh", "cool", "nice", "got it",
  // Russian
  "угу", "ага", "да", "ну", "ясно", "понятно", "хм", "м-м", "мм", "ок", "ладно", "конечно",
  // Chinese
  "嗯", "嗯嗯", "对", "对对", "是", "是的", "好", "好的", "哦", "啊", "行",
]);

const normalise = (s: string): string => s.toLowerCase().replace(/[.,!?…。！？，、;:"'«»“”]/gu, " ").replace(/\s+/g, " ").trim();

/** Sounds that carry no answer at all: hesitation, not "yes". */
const FILLERS = new Set(["um", "uh", "er", "erm", "hmm", "hm", "ah", "eh", "э", "эм", "ээ", "хм", "呃", "额"]);

/** Only hesitation sounds ("um", "hmm"): nothing to answer even when nobody else is talking. */
export function isFiller(text: string): boolean {
  const t = normalise(text);
  return t !== "" && t.split(" ").every((w) => FILLERS.has(w));
}

/** A word or two of acknowledgement, nothing to answer while someone else talks. */
export function isBackchannel(text: string): boolean {
  const t = normalise(text);
  if (!t) return false;
  if (BACKCHANNELS.has(t)) return true;
  // "yeah yeah", "угу угу", "嗯嗯嗯"
  const words = t.split(" ");
  return words.length <= 3 && words.every((w) => BACKCHANNELS.has(w));
}

const TRAILING_WORDS = new Set([
  "and", "but", "or", "so", "because", "that", "which", "the", "a", "an", "to", "of", "with", "if", "when", "then", "like", "um", "uh", "i", "my", "is", "was",
  "и", "а", "но", "или", "что", "чтобы", "потому", "когда", "если", "то", "в", "на", "с", "ну", "это", "как",
]);
const CJK_TRAILING = /(然后|但是|因为|所以|而且|就是|那个|的|和)$/u;

/** The words stop mid-sentence: wait a little longer for the rest. */
export function trailsOff(text: string): boolean {
  const t = text.trim();
  // "好的", "yes": complete however they end
  if (!t || isBackchannel(t)) return false;
  if (/(\.\.\.|…|,|，|、|-|—)$/u.test(t)) return true;
  if (/[.!?。！？]["'”»)]?$/u.test(t)) return false;
  if (CJK_TRAILING.test(t)) return true;
  const last = normalise(t).split(" ").pop() ?? "";
  return TRAILING_WORDS.has(last);
}
