export type { BertVocab, TokenizerLayout } from "./bert-vocab";
export { MASK_PIECE, bertVocab, isSpecialId } from "./bert-vocab";
export type { BertInput } from "./bert-input";
export { bertInput } from "./bert-input";
export type { MaskingOptions, MaskedSequence } from "./mask-tokens";
export { IGNORE_LABEL, maskingDefaults, maskTokens, numToMask } from "./mask-tokens";
export type { MaskedLmBatch, MaskedLmBatchOptions } from "./masked-lm-batches";
export { maskedLmBatches } from "./masked-lm-batches";
export { maskedLmLoss } from "./masked-lm-loss";
