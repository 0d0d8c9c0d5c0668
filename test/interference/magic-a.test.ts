import { test } from "node:test";
import assert from "node:assert/strict";
import type { TranslationData } from "../../src/data/translation-data";
import { trainWithMethod } from "../../src/estimator/index";
import { evaluateLoss } from "../../src/eval/index";
import { AnchorRecord, anchorSummary, describeAnchors, magicA } from "../../src/interference/index";
import { archKey, largestArch, smallestArch } from "../../src/space/index";
import { createSupernet } from "../../src/supernet/index";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

test("a candidate better on dev replaces the anchor, a worse one does not, and every offer is a row of the history", async () => {
  const model = createSupernet(microConfig(), 4);
  const dev = [randomBatch(7), randomBatch(8)];
  // Which child is better is whatever these weights say: rank the two on dev first.
  const scored: { arch: ReturnType<typeof largestArch>; loss: number }[] = [];
  for (const arch of [largestArch(microSpace), smallestArch(microSpace)]) scored.push({ arch, loss: (await evaluateLoss(model, arch, dev)).loss });
  const [better, worse] = scored.sort((a, b) => a.loss - b.loss);
  const hook = magicA(worse.arch);
  assert.equal(await hook.offerAnchor(model, better.arch, dev, 5), true);
  assert.equal(archKey(hook.anchor()), archKey(better.arch));
  assert.equal(await hook.offerAnchor(model, worse.arch, dev, 10), false);
  assert.equal(await hook.offerAnchor(model, better.arch, dev, 15), false, "the anchor offered to itself is no change");
  assert.equal(archKey(hook.anchor()), archKey(better.arch));
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  assert.equal(hook.history.length, 4, "the initial anchor and three offers");
  const [initial, first, second, third] = hook.history;
  assert.deepEqual({ ...initial, candidateLoss: 0, anchorLoss: 0 }, { step: 0, kind: "initial", candidate: archKey(worse.arch), candidateLoss: 0, anchor: archKey(worse.arch), anchorLoss: 0, changed: false, arch: archKey(worse.arch) });
  assert.ok(Number.isNaN(initial.candidateLoss) && Number.isNaN(initial.anchorLoss), "the initial anchor is not scored");
  assert.deepEqual([first.step, first.candidate, first.anchor, first.changed, first.arch], [5, archKey(better.arch), archKey(worse.arch), true, archKey(better.arch)]);
  assert.ok(close(first.candidateLoss, better.loss) && close(first.anchorLoss, worse.loss), "both scored with the same weights on the same batches");
  assert.deepEqual([second.step, second.candidate, second.anchor, second.changed, second.arch], [10, archKey(worse.arch), archKey(better.arch), false, archKey(better.arch)]);
  assert.deepEqual([third.changed, third.candidateLoss], [false, third.anchorLoss]);
});

const row = (step: number, candidate: string, anchor: string, changed: boolean): AnchorRecord => ({ step, kind: "offer", candidate, candidateLoss: 1, anchor, anchorLoss: 2, changed, arch: changed ? candidate : anchor });
const initial = (arch: string): AnchorRecord => ({ step: 0, kind: "initial", candidate: arch, candidateLoss: NaN, anchor: arch, anchorLoss: NaN, changed: false, arch });

test("anchorSummary counts offers, changes, distinct anchors and the updates aligned to the largest subnet", () => {
  // L until update 20, then A (offer after update 20) until 40, then L again until the end at 60.
  const history = [initial("L"), row(10, "A", "L", false), row(20, "A", "L", true), row(30, "B", "A", false), row(40, "L", "A", true), row(50, "A", "L", false)];
  assert.deepEqual(anchorSummary(history, "L", 60), {
    offers: 5, changes: 2, distinctAnchors: 2, steps: 60, largestSteps: 20 + 20, anchorWinFraction: 3 / 5,
    initialAnchor: "L", finalAnchor: "L", initialIsLargest: true, leftInitial: true,
  });
  assert.equal(anchorSummary(history, "L").steps, 50, "by default counted up to the last offer");
  assert.match(describeAnchors(anchorSummary(history, "L", 60)), /^The anchor changed 2 times among 2 distinct archs \(the anchor won 60% of 5 offers\); it was the largest subnet for 40 of 60 updates\.$/);
});

test("an anchor that never leaves the largest subnet is named as in-place distillation", () => {
  const stayed = anchorSummary([initial("L"), row(10, "A", "L", false), row(20, "B", "L", false)], "L", 20);
  assert.deepEqual([stayed.offers, stayed.changes, stayed.distinctAnchors, stayed.largestSteps, stayed.anchorWinFraction, stayed.leftInitial], [2, 0, 1, 20, 1, false]);
  assert.equal(describeAnchors(stayed), "The anchor never left the largest subnet (the anchor won 100% of 2 offers): MAGIC-A here amounts to in-place distillation from the largest subnet.");
  const none = anchorSummary([initial("L")], "L", 8);
  assert.deepEqual([none.offers, none.largestSteps, Number.isNaN(none.anchorWinFraction)], [0, 8, true]);
  assert.match(describeAnchors(none), /no offers were made/);
});

test("anchorSummary rejects a malformed history, naming the row", () => {
  assert.throws(() => anchorSummary([], "L"), /history\[0\]\.kind must be "initial"; got an empty history/);
  assert.throws(() => anchorSummary([row(1, "A", "L", false)], "L"), /history\[0\]\.kind must be "initial"; got "offer"/);
  assert.throws(() => anchorSummary([initial("L"), row(10, "A", "L", false), row(5, "A", "L", false)], "L"), /history\[2\]\.step must be >= 10; got 5/);
  assert.throws(() => anchorSummary([initial("L"), row(10, "A", "L", false)], "L", 4), /updates must be an integer >= 10 \(the last offer's step\); got 4/);
});

test("MAGIC-T+A training returns the anchor record: the initial largest subnet, then one offer every anchorEvery updates", async () => {
  const data = { batchesForEpoch: () => [randomBatch(1), randomBatch(2)], validBatches: [randomBatch(3), randomBatch(4), randomBatch(5)] } as unknown as TranslationData;
  const schedule = { kind: "constant" as const, lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: 4, minLr: 1e-3 };
  const trained = await trainWithMethod("magic-t+a", { config: microConfig(), data, updates: 4, schedule, seed: 1, anchorEvery: 2, showProgress: false });
  const anchors = trained.anchors ?? [];
  assert.deepEqual(anchors.map((r) => [r.step, r.kind]), [[0, "initial"], [2, "offer"], [4, "offer"]]);
  assert.equal(anchors[0].arch, archKey(largestArch(microSpace)));
  assert.equal(anchorSummary(anchors, archKey(largestArch(microSpace)), 4).offers, 2);
});
