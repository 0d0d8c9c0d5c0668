import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTranslationData } from "../../src/data";
import { evaluateLoss } from "../../src/eval";
import { getSpace, largestArch, smallestArch } from "../../src/space";
import { evolutionarySearch, inheritedLossFitness, paramsCost, withinBudget } from "../../src/search";
import { createSupernet, makeSupernetConfig } from "../../src/supernet";
import { useBackend } from "../helpers/backend";

useBackend();

const data = loadTranslationData({ vocabSize: 1000, trainPairs: 200, validPairs: 32, maxLen: 24, maxTokens: 512, seed: 2 });
const space = getSpace("tiny");

test("the search's fitness is each subnet's inherited validation loss, and a real search stays within its budget", async () => {
  const model = createSupernet(makeSupernetConfig(space, data.tokenizer.vocabSize), 3);
  const batches = data.validBatches.slice(0, 1);
  const fitness = inheritedLossFitness(model, batches);
  const archs = [largestArch(space), smallestArch(space)];
  const expected: number[] = [];
  for (const a of archs) expected.push((await evaluateLoss(model, a, batches)).loss);
  assert.deepEqual(await fitness(archs), expected);

  const cost = paramsCost(space, data.tokenizer.vocabSize);
  const limit = (cost(largestArch(space)) + cost(smallestArch(space))) / 2;
  const result = await evolutionarySearch(space, { fitness, feasible: withinBudget({ name: "params", cost, limit }) }, { population: 5, parents: 1, mutants: 2, crossovers: 2, iterations: 2, seed: 1 });
  assert.ok(result.evaluated.every((c) => cost(c.arch) <= limit));
  assert.equal(result.best.fitness, (await evaluateLoss(model, result.best.arch, batches)).loss);
  assert.throws(() => inheritedLossFitness(model, []), /batches is empty/);
});
