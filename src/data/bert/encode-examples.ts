/**
 * From task examples to BERT inputs: each sentence or pair is tokenized with the pretraining
 * tokenizer and wrapped by `bertInput`, keeping its label, so fine-tuning and the masked-LM
 * pretraining see the same ids for the same text.
 */
import type { BpeTokenizer } from "../tokenizer/bpe-tokenizer";
import { BertInput, bertInput } from "./bert-input";
import type { BertVocab } from "./bert-vocab";
import type { SentenceExample, SentencePairExample } from "./text-task";

/** A tokenized, wrapped example. */
export interface EncodedExample extends BertInput {
  readonly label: number;
}

/** `[CLS] text [SEP]` ids of each text, at most maxLen long: masked-LM pretraining sequences. */
export function encodeSentences(texts: readonly string[], tokenizer: BpeTokenizer, vocab: BertVocab, maxLen: number): Int32Array[] {
  return texts.map((t) => bertInput(vocab, tokenizer.encode(t), null, maxLen).ids);
}

/** Tokenizes and wraps sentence or sentence-pair examples, at most maxLen ids each. */
export function encodeExamples(examples: readonly (SentenceExample | SentencePairExample)[], tokenizer: BpeTokenizer, vocab: BertVocab, maxLen: number): EncodedExample[] {
  return examples.map((e) => {
    const input = "textA" in e
      ? bertInput(vocab, tokenizer.encode(e.textA), tokenizer.encode(e.textB), maxLen)
      : bertInput(vocab, tokenizer.encode(e.text), null, maxLen);
    return { ...input, label: e.label };
  });
}
