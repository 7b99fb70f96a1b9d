/**
 * ONNX fixtures for the recognizers: tiny generated graphs with the real tensor
 * names, dtypes and ranks of the exports the providers load, written into a
 * directory by the tests (nothing large is committed).
 *
 * - `writeWhisperFixture(dir, { decoder: "merged" | "plain", detectLanguage, nMels })`:
 *   onnx/encoder_model.onnx, onnx/decoder_model_merged.onnx (or decoder_model.onnx),
 *   tokenizer.json, config.json, generation_config.json, preprocessor_config.json;
 *   speech -> WHISPER_FIXTURE_TEXT[language], silence -> "".
 * - `writeTransducerFixture(dir, { layout: "zipformer2" | "zipformer", pieces })`:
 *   encoder/decoder/joiner-epoch-99-avg-1*.onnx + tokens.txt; speech -> the pieces
 *   one per speech frame (TRANSDUCER_FIXTURE_TEXT), silence -> "".
 */
export { writeWhisperFixture, WHISPER_FIXTURE_TEXT, WHISPER_FIXTURE_LANGUAGES, type WhisperFixtureOptions, type FixtureLanguage } from "./whisperOnnxFixture.js";
export { writeTransducerFixture, TRANSDUCER_FIXTURE_TEXT, TRANSDUCER_FIXTURE_PIECES, type TransducerFixtureOptions } from "./transducerOnnxFixture.js";
