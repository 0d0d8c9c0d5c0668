export { normalizeText, splitWords } from "./normalize";
export { PAD_ID, BOS_ID, EOS_ID, UNK_ID, FIXED_SPECIALS, WORD_START, UNK_TEXT, MAX_VOCAB_SIZE, bytePiece } from "./vocab";
export type { BpeModel } from "./build-vocab";
export { BpeTokenizer } from "./bpe-tokenizer";
export type { BpeTokenizerJson } from "./tokenizer-json";
export { BPE_JSON_FORMAT, BPE_JSON_VERSION } from "./tokenizer-json";
export type { TrainBpeOptions } from "./train-bpe";
export { trainBpeDefaults, trainBpe } from "./train-bpe";
