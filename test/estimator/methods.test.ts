import { test } from "node:test";
import assert from "node:assert/strict";
import type { TranslationData } from "../../src/data/translation-data";
import { passesPerUpdate, trainWithMethod, updatesForPasses } from "../../src/estimator/index";
import { largestArch, smallestArch } from "../../src/space/index";
import { disposeParams } from "../../src/supernet/params";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

const data = { batchesForEpoch: () => [randomBatch(1), randomBatch(2)], validBatches: [randomBatch(3), randomBatch(4)], tokenizer: { vocabSize: microConfig().vocabSize } } as unknown as TranslationData;
const schedule = (updates: number) => ({ kind: "constant" as const, lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: updates, minLr: 1e-3 });

test("a pass budget gives the sandwich rule a third of the uniform rule's updates", () => {
  assert.equal(passesPerUpdate("uniform"), 1);
  assert.equal(passesPerUpdate("sandwich"), 3);
  assert.equal(passesPerUpdate("mos-sandwich"), 3);
  assert.equal(updatesForPasses("uniform", 300), 300);
  assert.equal(updatesForPasses("sandwich", 300), 100);
  assert.equal(updatesForPasses("magic-t+a", 7), 7);
  assert.throws(() => updatesForPasses("uniform", 0), /passes must be an integer >= 1; got 0/);
  assert.throws(() => passesPerUpdate("bogus" as never), /unknown method "bogus"/);
});

test("at equal compute every method makes the same training passes, counted from its training rows", async () => {
  const runs = [];
  for (const method of ["uniform", "sandwich", "magic-t+a"] as const) {
    runs.push(await trainWithMethod(method, { config: microConfig(), data, passes: 6, schedule, seed: 1, anchorEvery: 3, showProgress: false }));
  }
  assert.deepEqual(runs.map((r) => [r.method, r.compute.updates, r.compute.trainPasses]), [["uniform", 6, 6], ["sandwich", 2, 6], ["magic-t+a", 6, 6]]);
  assert.equal(runs[0].compute.forwardPasses, 0);
  // MAGIC-A: 6 anchor forwards, and 2 offers each scoring candidate and anchor on 2 dev batches (or 1 arch when they coincide).
  const offers = (runs[2].anchors ?? []).filter((r) => r.kind === "offer");
  assert.equal(offers.length, 2);
  assert.equal(runs[2].compute.forwardPasses, 6 + offers.reduce((s, r) => s + (r.candidate === r.anchor ? 2 : 4), 0));
  for (const r of runs) disposeParams(r.model.params);
});

test("a part-way snapshot scores the given subnets after the asked update (the equal-updates view)", async () => {
  const archs = [largestArch(microSpace), smallestArch(microSpace)];
  const run = await trainWithMethod("uniform", { config: microConfig(), data, passes: 4, schedule, seed: 2, snapshot: { step: 2, archs }, showProgress: false });
  assert.equal(run.snapshot?.step, 2);
  assert.equal(run.snapshot?.rows.length, 2);
  assert.ok(run.snapshot?.rows.every((r) => Number.isFinite(r.validLoss)));
  await assert.rejects(() => trainWithMethod("uniform", { config: microConfig(), data, passes: 4, updates: 4, schedule, seed: 2 }), /exactly one of passes/);
});
