/**
 * The server's words in each table language: lines it writes into the
 * transcript, the transcript export, the voice preview, and the parts of prompts
 * that set the language of replies and memories. (The page's own strings live in
 * the client's catalogues.)
 */
import type { Language } from "@parley/shared";

/**
 * Words in the language instruction that only that instruction contains. The
 * demo's scripted model keys its replies on them (see llm/gguf/demoScript.ts);
 * a real model simply reads the instruction.
 */
export const LANGUAGE_MARKERS: Readonly<Record<Exclude<Language, "en">, string>> = { ru: "по-русски", zh: "简体中文" };

export interface ServerText {
  /** the system prompt's line that sets the language of every reply */
  answerIn: string;
  /** the memory writer's instruction for the language of facts and summaries */
  rememberIn: string;
  /** how memories are introduced in a prompt */
  about: (name: string) => string;
  earlier: string;
  transcriptTitle: string;
  cutOff: string;
  failed: (reason: string) => string;
  /** how the export writes a day and a time (UTC) */
  locale: string;
  voicePreview: (name: string) => string;
  guest: (n: number) => string;
  /** a character's voice cannot speak the table's language */
  voiceCannotSpeak: (name: string) => string;
  /** a character's voice cannot run (no model, no server) */
  voiceUnavailable: (name: string, reason: string) => string;
  /** the default neural voices cannot be had (offline): the offline voices speak */
  neuralVoicesUnavailable: (reason: string) => string;
  /** what a character without a greeting of its own says when it sits down */
  greeting: (name: string) => string;
  /** what a character says when the host takes it off the table ({{user}}: who is there) */
  goodbye: (user: string) => string;
  /** joins the last two names of a list ("Sam and Eve") */
  and: string;
  /** who {{user}} is when no person sits at the table */
  everyone: string;
}

const WHATEVER_PERSONA = "even if your description is written in another language";

export const SERVER_TEXT: Readonly<Record<Language, ServerText>> = {
  en: {
    answerIn: `Always answer in English, ${WHATEVER_PERSONA}.`,
    rememberIn: "Write the facts and the summary in English.",
    about: (name) => `About ${name}:`,
    earlier: "Earlier:",
    transcriptTitle: "Parley transcript",
    cutOff: "(cut off)",
    failed: (reason) => `(failed: ${reason})`,
    locale: "en-GB",
    voicePreview: (name) => `Hello, I am ${name}. This is how I sound.`,
    guest: (n) => `Guest ${n}`,
    voiceCannotSpeak: (name) => `${name}'s voice cannot speak English; ${name} speaks with the offline English voice.`,
    voiceUnavailable: (name, reason) => `${name}'s voice is unavailable (${reason}); ${name} speaks with the offline voice.`,
    neuralVoicesUnavailable: (reason) => `The characters speak with the offline voices: their natural voices are not here (${reason}). Parley downloads them once when it starts with a network.`,
    greeting: (name) => `Hello, everyone! I'm ${name}. May I join you?`,
    goodbye: (user) => `I have to go now. Goodbye, ${user}!`,
    and: "and",
    everyone: "everyone",
  },
  ru: {
    answerIn: `Always answer in Russian (отвечай ${LANGUAGE_MARKERS.ru}), ${WHATEVER_PERSONA}.`,
    rememberIn: "Write the facts and the summary in Russian (пиши по-русски).",
    about: (name) => `О собеседнике ${name}:`,
    earlier: "Раньше:",
    transcriptTitle: "Стенограмма Parley",
    cutOff: "(перебили)",
    failed: (reason) => `(ошибка: ${reason})`,
    locale: "ru-RU",
    voicePreview: (name) => `Здравствуйте, я ${name}. Вот так звучит мой голос.`,
    guest: (n) => `Гость ${n}`,
    voiceCannotSpeak: (name) => `${name}: этот голос не говорит по-русски, дальше звучит офлайн-голос для русского.`,
    voiceUnavailable: (name, reason) => `${name}: голос недоступен (${reason}), дальше звучит офлайн-голос.`,
    neuralVoicesUnavailable: (reason) => `Персонажи говорят офлайн-голосами: их естественных голосов здесь нет (${reason}). Parley скачает их один раз, когда запустится с сетью.`,
    greeting: (name) => `Всем привет! Я ${name}. Можно к вам?`,
    goodbye: (user) => `Мне пора. До свидания, ${user}!`,
    and: "и",
    everyone: "все",
  },
  zh: {
    answerIn: `Always answer in Simplified Chinese (用${LANGUAGE_MARKERS.zh}回答), ${WHATEVER_PERSONA}.`,
    rememberIn: "Write the facts and the summary in Simplified Chinese (用简体中文写).",
    about: (name) => `关于${name}：`,
    earlier: "之前：",
    transcriptTitle: "Parley 对话记录",
    cutOff: "（被打断）",
    failed: (reason) => `（出错：${reason}）`,
    locale: "zh-CN",
    voicePreview: (name) => `你好，我是${name}。这就是我的声音。`,
    guest: (n) => `访客${n}`,
    voiceCannotSpeak: (name) => `${name}的声音不会说中文，改用离线中文语音。`,
    voiceUnavailable: (name, reason) => `${name}的声音不可用（${reason}），改用离线语音。`,
    neuralVoicesUnavailable: (reason) => `角色正在使用离线语音：它们的自然语音不在本机（${reason}）。Parley 联网启动时会下载一次。`,
    greeting: (name) => `大家好！我是${name}。我可以加入你们吗？`,
    goodbye: (user) => `我该走了。再见，${user}！`,
    and: "和",
    everyone: "大家",
  },
};

export const serverText = (language: Language): ServerText => SERVER_TEXT[language];
