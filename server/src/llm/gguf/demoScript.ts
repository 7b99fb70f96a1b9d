import type { Script } from "./scriptedModel.js";
import { LANGUAGE_MARKERS } from "../../i18n/serverText.js";

/**
 * What the demo model can say, in English and, keyed on the table's language
 * instruction in the prompt, in Russian and Chinese. Generic on purpose: every
 * character shares the one scripted model (so no gendered words), and the banner
 * tells the user it is a demo. Emotion tags stand apart ("[happy] 你好").
 */
export const DEMO_SCRIPT: Script = {
  stages: [
    [
      "[happy] Hello, it is good to hear from you!",
      "[surprised] Oh, a new voice at the table, welcome.",
      "[relaxed] Welcome, pull up a chair and stay a while.",
      "[neutral] Hi there, I am listening.",
    ],
    [
      "I am speaking through a tiny demo model, so my words come from a script.",
      "Everything you hear is made right here on your own machine, nothing leaves it.",
      "Point Parley at a real model and I will answer you for real.",
      "My voice comes from an offline speech engine, and my lips follow every sound.",
    ],
    [
      "[happy] What shall we talk about next?",
      "[relaxed] Ask me anything, or talk to my friends.",
      "[sad] Sadly, that is all my little script allows.",
      "",
    ],
  ],
  keyed: [
    {
      marker: LANGUAGE_MARKERS.ru,
      stages: [
        [
          "[happy] Привет, как здорово тебя слышать!",
          "[surprised] О, новый голос за столом, добро пожаловать!",
          "[relaxed] Добро пожаловать, садись поудобнее и оставайся.",
          "[neutral] Привет, я слушаю.",
        ],
        [
          "Я говорю через крошечную демо-модель, так что мои слова взяты из сценария.",
          "Всё, что ты слышишь, создаётся прямо здесь, на твоём компьютере, и никуда не уходит.",
          "Подключи настоящую модель, и я отвечу тебе всерьёз.",
          "Мой голос идёт из офлайн-синтезатора, а губы следуют за каждым звуком.",
        ],
        [
          "[happy] О чём поговорим дальше?",
          "[relaxed] Спрашивай что угодно или поговори с моими друзьями.",
          "[sad] Увы, больше мой маленький сценарий не умеет.",
          "",
        ],
      ],
    },
    {
      marker: LANGUAGE_MARKERS.zh,
      stages: [
        [
          "[happy] 你好，很高兴听到你的声音！",
          "[surprised] 哦，桌边来了新朋友，欢迎！",
          "[relaxed] 欢迎，拉把椅子坐下来聊聊吧。",
          "[neutral] 你好，我在听。",
        ],
        [
          "我现在用的是一个很小的演示模型，所以我的话都来自剧本。",
          "你听到的一切都是在你自己的电脑上生成的，什么都不会离开这里。",
          "接上真正的模型，我就能真正地回答你。",
          "我的声音来自离线语音引擎，嘴唇会跟着每个音动。",
        ],
        [
          "[happy] 接下来聊点什么呢？",
          "[relaxed] 随便问我吧，或者和我的朋友们聊聊。",
          "[sad] 可惜，我的小剧本只能说这么多了。",
          "",
        ],
      ],
    },
  ],
};
