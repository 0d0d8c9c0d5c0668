export { tokenize13a, splitWhitespace, rstripWhitespace } from "./tokenizer-13a";
export type { BleuStats } from "./bleu-stats";
export {
  corpusBleu,
  sentenceBleu,
  bleuSegmentStats,
  bleuFromStats,
  BLEU_DEFAULTS,
  SENTENCE_BLEU_DEFAULTS,
} from "./bleu";
export type { BleuOptions, BleuScore, BleuTokenizer, BleuSmoothMethod } from "./bleu";
