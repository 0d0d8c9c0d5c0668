import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTokenizer } from "../../../src/data/load";
import { bertVocab, collateClassification, encodeExamples, encodeSentences } from "../../../src/data/bert/index";

const tokenizer = loadTokenizer("brown", 2000);
const vocab = bertVocab(tokenizer);

test("examples become [CLS] A [SEP] (B [SEP]) ids of the pretraining tokenizer, with their labels", () => {
  const [single, pair] = encodeExamples([
    { text: "The jury said .", label: 1, unit: "x#0" },
    { textA: "The jury said .", textB: "It was late .", label: 0, unitA: "ca01", unitB: "ca02" },
  ], tokenizer, vocab, 64);
  const a = tokenizer.encode("The jury said .");
  const b = tokenizer.encode("It was late .");
  assert.deepEqual(Array.from(single.ids), [vocab.clsId, ...a, vocab.sepId]);
  assert.equal(single.label, 1);
  assert.deepEqual(Array.from(pair.ids), [vocab.clsId, ...a, vocab.sepId, ...b, vocab.sepId]);
  assert.deepEqual(Array.from(pair.segments), [...new Array(a.length + 2).fill(0), ...new Array(b.length + 1).fill(1)]);
  assert.deepEqual(encodeSentences(["The jury said ."], tokenizer, vocab, 64), [single.ids]);
});

test("a classification batch pads to its longest example", () => {
  const examples = encodeExamples([
    { text: "Short .", label: 0, unit: "a" },
    { textA: "A longer first sentence here .", textB: "And a second .", label: 1, unitA: "b", unitB: "c" },
  ], tokenizer, vocab, 64);
  const batch = collateClassification(examples, [1, 0]);
  const [long, short] = [examples[1].ids.length, examples[0].ids.length];
  assert.equal(batch.seqLen, long);
  assert.deepEqual(Array.from(batch.labels), [1, 0]);
  assert.deepEqual(Array.from(batch.attentionMask.subarray(long)), [...new Array(short).fill(1), ...new Array(long - short).fill(0)]);
  assert.deepEqual(Array.from(batch.inputIds.subarray(long + short)), new Array(long - short).fill(vocab.padId));
  assert.deepEqual(Array.from(batch.segmentIds.subarray(0, long)), Array.from(examples[1].segments));
  assert.throws(() => collateClassification(examples, [2]), /indices\[0\] must be an integer in \[0, 1\], got 2/);
});
