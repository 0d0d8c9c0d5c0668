import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTranslationData } from "../../src/data/index";
import { bleuSubset, corpusBleu, evaluateBleu } from "../../src/eval/index";
import { getSpace, sampleArch } from "../../src/space/index";
import { createSupernet, makeSupernetConfig } from "../../src/supernet/index";
import { Rng } from "../../src/util/rng";
import { useBackend } from "../helpers/backend";

useBackend();

test("the BLEU subset is evenly spread over the validation pairs and checked", () => {
  assert.deepEqual(bleuSubset(10, 4), [0, 2, 5, 7]);
  assert.deepEqual(bleuSubset(5), [0, 1, 2, 3, 4]);
  assert.deepEqual(bleuSubset(5, 9), [0, 1, 2, 3, 4], "asking for more pairs than there are scores them all");
  assert.throws(() => bleuSubset(10, 0), /sentences must be an integer in \[1, 10\]; got 0/);
  assert.throws(() => bleuSubset(10, 2.5), /sentences must be an integer in \[1, 10\]; got 2.5/);
});

test("BLEU on a subset decodes exactly the full run's hypotheses for those pairs and scores them against their references", async () => {
  const data = loadTranslationData({ vocabSize: 1000, trainPairs: 50, validPairs: 24, maxLen: 24, maxTokens: 256, seed: 1 });
  const space = getSpace("tiny");
  const model = createSupernet(makeSupernetConfig(space, data.tokenizer.vocabSize), 3);
  const arch = sampleArch(space, new Rng(4));
  const full = await evaluateBleu(model, arch, data, { beam: 1, maxLen: 8 });
  const sub = await evaluateBleu(model, arch, data, { beam: 1, maxLen: 8, sentences: 8 });
  const ids = bleuSubset(24, 8);
  assert.equal(full.sentences, 24);
  assert.equal(sub.sentences, 8);
  assert.deepEqual(sub.references, ids.map((i) => data.validPairs[i].es));
  // Batched differently (the subset has its own length buckets), the same sentence decodes the same.
  assert.deepEqual(sub.hypotheses, ids.map((i) => full.hypotheses[i]));
  assert.ok(sub.hypotheses.some((h) => h.length > 0), "something was decoded");
  assert.equal(sub.bleu, corpusBleu(sub.hypotheses, [sub.references]).score);
});
