import { test } from "node:test";
import assert from "node:assert/strict";
import { loadMaskedLmData } from "../../src/data/index";
import { archParams, getBertSpace, largestArch, makeSampler, smallestArch } from "../../src/space/index";
import { createSupernet, disposeParams, makeSupernetConfig } from "../../src/supernet/index";
import { evolutionarySearch, inheritedLossFitness, nasBertBandsM, populationSplit, scaledParameterBands, withinBudget } from "../../src/search/index";
import { trainSupernet } from "../../src/train/index";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getBertSpace("bert-small");

test("NAS-BERT's bands keep their log-scale ratios and fall inside the space's sizes", () => {
  const vocab = 2001;
  const bands = scaledParameterBands(space, vocab, { samples: 400, seed: 3 });
  assert.deepEqual(bands.map((b) => b.nasBertM), [...nasBertBandsM]);
  const [min, max] = [archParams(space, smallestArch(space), vocab), archParams(space, largestArch(space), vocab)];
  for (let i = 0; i < bands.length; i++) {
    assert.ok(bands[i].limit > min && bands[i].limit < max, `band ${bands[i].nasBertM}M: ${bands[i].limit} outside (${min}, ${max})`);
    if (i > 0) assert.ok(bands[i].limit > bands[i - 1].limit);
  }
  // 10M sits where 10 sits between 5 and 60 on a log scale: log(2)/log(12) of the way.
  const t = Math.log(bands[1].limit / bands[0].limit) / Math.log(bands[3].limit / bands[0].limit);
  assert.ok(Math.abs(t - Math.log(2) / Math.log(12)) < 1e-3, `position ${t}`);
  assert.throws(() => scaledParameterBands(space, vocab, { samples: 5 }), /samples must be an integer >= 20/);
});

test("a task-agnostic search in a band scores only subnets within it and keeps its best", async () => {
  const tiny = getBertSpace("bert-tiny");
  const data = loadMaskedLmData({ vocabSize: 2000, maxLen: 48, maxTokens: 512, trainSequences: 200, validSequences: 16, seed: 1 });
  const model = createSupernet(makeSupernetConfig(tiny, data.vocab.vocabSize, { dropout: 0 }), 1);
  const schedule = { kind: "cosine" as const, lr: 3e-3, warmupInitLr: 3e-5, warmupUpdates: 3, maxUpdates: 20, minLr: 3e-4 };
  await trainSupernet(model, data, { sampler: makeSampler("sandwich", tiny), updates: 20, schedule, seed: 1, showProgress: false });
  const band = scaledParameterBands(tiny, data.vocab.vocabSize, { samples: 200 })[2];
  const cost = (a: Parameters<typeof archParams>[1]) => archParams(tiny, a, data.vocab.vocabSize);
  const result = await evolutionarySearch(tiny, { fitness: inheritedLossFitness(model, data.validBatches.slice(0, 1)), feasible: withinBudget({ name: "parameters", cost, limit: band.limit }) }, { ...populationSplit(10), iterations: 4, seed: 2 });
  assert.ok(cost(result.best.arch) <= band.limit, `best has ${cost(result.best.arch)} > ${band.limit} parameters`);
  assert.ok(result.evaluated.every((c) => cost(c.arch) <= band.limit), "every scored candidate is in the band");
  assert.ok(result.best.fitness <= result.history[0].bestFitness);
  disposeParams(model.params);
});
