/**
 * The special tokens of BERT inputs (Devlin et al., 2019) on top of the project's BPE tokenizer.
 * The tokenizer already fixes pad = 0, bos = 1, eos = 2 and unk = 3 (src/data/tokenizer/vocab.ts),
 * so BERT reuses them as RoBERTa does: [PAD] = <pad>, [CLS] = <s>, [SEP] = </s>, [UNK] = <unk>.
 * The prepared tokenizers have no mask token, and adding one would change their checksummed files;
 * so [MASK] is the tokenizer's own "<mask>" special when it has one, and otherwise the id just past
 * the tokenizer (`tokenizer.vocabSize`), which makes the BERT embedding table one row larger.
 * Every id below `firstOrdinaryId` (the control tokens and any extra specials) and [MASK] is
 * special: never chosen for masking and never drawn as a random replacement.
 */
import { BOS_ID, EOS_ID, FIXED_SPECIALS, PAD_ID, UNK_ID } from "../tokenizer/vocab";

/** Ids of the BERT special tokens and the ranges of ordinary ones. */
export interface BertVocab {
  /** [PAD]: the tokenizer's <pad>, 0, so zero-filled buffers are padding. */
  readonly padId: number;
  /** [CLS]: the tokenizer's <s>; its final hidden state feeds sentence classifiers. */
  readonly clsId: number;
  /** [SEP]: the tokenizer's </s>; ends each segment. */
  readonly sepId: number;
  /** [UNK]: the tokenizer's <unk> (byte fallback means encode never emits it). */
  readonly unkId: number;
  /** [MASK]: the tokenizer's "<mask>" special, or `tokenizerVocabSize` when it has none. */
  readonly maskId: number;
  /** Ids the tokenizer produces, [0, tokenizerVocabSize). */
  readonly tokenizerVocabSize: number;
  /** Rows of the model's embedding and output tables: the tokenizer's ids plus a reserved [MASK] if any. */
  readonly vocabSize: number;
  /** Ordinary (maskable, drawable) ids are [firstOrdinaryId, tokenizerVocabSize). */
  readonly firstOrdinaryId: number;
}

/** The piece a tokenizer may carry as an extra special to serve as [MASK]. */
export const MASK_PIECE = "<mask>";

/** What `bertVocab` reads from a tokenizer (a `BpeTokenizer` has both). */
export interface TokenizerLayout {
  readonly vocabSize: number;
  /** Extra specials after the four fixed control tokens, in id order. */
  readonly specials: readonly string[];
}

/** BERT's special ids for a tokenizer, reserving [MASK] past its ids when it has no "<mask>". */
export function bertVocab(tokenizer: TokenizerLayout): BertVocab {
  const firstOrdinaryId = FIXED_SPECIALS.length + tokenizer.specials.length;
  if (!Number.isInteger(tokenizer.vocabSize) || tokenizer.vocabSize <= firstOrdinaryId) {
    throw new Error(`bertVocab: tokenizer.vocabSize must be an integer > ${firstOrdinaryId} (its special ids), got ${tokenizer.vocabSize}`);
  }
  const own = tokenizer.specials.indexOf(MASK_PIECE);
  const maskId = own >= 0 ? FIXED_SPECIALS.length + own : tokenizer.vocabSize;
  return Object.freeze({
    padId: PAD_ID,
    clsId: BOS_ID,
    sepId: EOS_ID,
    unkId: UNK_ID,
    maskId,
    tokenizerVocabSize: tokenizer.vocabSize,
    vocabSize: own >= 0 ? tokenizer.vocabSize : tokenizer.vocabSize + 1,
    firstOrdinaryId,
  });
}

/** Whether an id is a BERT special ([PAD], [CLS], [SEP], [UNK], [MASK] or another tokenizer special). */
export function isSpecialId(vocab: BertVocab, id: number): boolean {
  return id < vocab.firstOrdinaryId || id === vocab.maskId;
}
