import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { TranslationData } from "../../src/data/translation-data";
import { createMos } from "../../src/mos/index";
import { makeSampler } from "../../src/space/index";
import { createSupernet } from "../../src/supernet/index";
import { makeTrainConfig, readCheckpoint, restoreOrTrain, trainingMismatches } from "../../src/train/index";
import type { Provenance } from "../../src/util/provenance";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

// Just what training reads of a data set: an epoch's batches and validation batches.
const data = { batchesForEpoch: () => [randomBatch(1), randomBatch(2)], validBatches: [randomBatch(3)] } as unknown as TranslationData;
const schedule = { kind: "constant" as const, lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: 3, minLr: 1e-3 };
// Injected so the tests do not depend on the state of the checkout they run in.
const provenance: Provenance = { revision: "abc1234".padEnd(40, "0"), dirty: false, backend: "wasm", preset: "tiny", node: process.version, createdAt: "2024-01-01T00:00:00.000Z" };

test("restoreOrTrain trains and saves when there is no checkpoint, restores a matching one, and retrains (saying why) on a mismatch", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rot-")), "m.ckpt");
  const options = { updates: 2, schedule, seed: 1, sampler: makeSampler("sandwich", microSpace), showProgress: false, provenance };
  const first = await restoreOrTrain(file, () => createMos(microConfig(), { numExperts: 2 }, 1), data, options);
  assert.match(first.source, /no checkpoint at .*: trained 2 updates with sandwich sampling here and saved it there/);
  assert.ok(fs.existsSync(file));
  const saved = readCheckpoint(file).meta;
  assert.deepEqual([saved.provenance, saved.seed, saved.sampler], [provenance, 1, "sandwich"]);
  // The training's wall time is measured, saved, and reported again by a study that restores it.
  assert.ok(first.trainingSeconds !== null && first.trainingSeconds > 0);
  assert.equal(saved.trainingSeconds, first.trainingSeconds);
  const again = await restoreOrTrain(file, () => createMos(microConfig(), { numExperts: 2 }, 5), data, options);
  assert.match(again.source, /restored .* \(step 2\)/);
  assert.equal(again.trainingSeconds, first.trainingSeconds);
  assert.deepEqual(Array.from(again.model.params["enc.0.fc1.experts.1.w"].dataSync()), Array.from(first.model.params["enc.0.fc1.experts.1.w"].dataSync()));
  const other = await restoreOrTrain(file, () => createSupernet(microConfig(), 1), data, options);
  assert.match(other.source, /checkpoint .* not used: .*holds a "mos" model, not "supernet".*: trained 2 updates/);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test("a checkpoint made at another revision is retrained, the reason names both revisions, and the new one is then reused", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rot-")), "m.ckpt");
  const options = { updates: 1, schedule, seed: 1, showProgress: false, provenance };
  await restoreOrTrain(file, () => createSupernet(microConfig(), 1), data, options);
  const later = { ...provenance, revision: "def5678".padEnd(40, "0") };
  // Only the returned model's weights stay alive: no discarded model, no Adam moments.
  let before = tf.memory().numTensors;
  const retrained = await restoreOrTrain(file, () => createSupernet(microConfig(), 1), data, { ...options, provenance: later });
  assert.match(retrained.source, /^checkpoint .*m\.ckpt not used: it was made at revision abc1234, this is def5678: trained 1 updates with uniform sampling here and saved it there$/);
  assert.equal(tf.memory().numTensors - before, Object.keys(retrained.model.params).length);
  assert.equal(readCheckpoint(file).meta.provenance?.revision, later.revision);
  before = tf.memory().numTensors;
  const reused = await restoreOrTrain(file, () => createSupernet(microConfig(), 1), data, { ...options, provenance: later });
  assert.equal(tf.memory().numTensors - before, Object.keys(reused.model.params).length);
  assert.match(reused.source, /^restored .*m\.ckpt \(step 1\)$/);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test("trainingMismatches names every field in which a checkpoint differs from the training asked for", () => {
  const trainConfig = makeTrainConfig({ schedule, seed: 1 });
  const wanted = { provenance, trainConfig, updates: 3, sampler: "uniform" };
  const meta = { ...otherMetaFields(), trainConfig, step: 3, seed: 1, sampler: "uniform", provenance };
  assert.deepEqual(trainingMismatches(meta, wanted), []);
  const only = (changes: object) => trainingMismatches({ ...meta, ...changes }, wanted);
  assert.deepEqual(only({ provenance: { ...provenance, backend: "cpu" } }), ["it was made on backend cpu, this run uses wasm"]);
  assert.deepEqual(only({ provenance: { ...provenance, preset: "small" } }), ["it was made for preset small, this run is tiny"]);
  assert.deepEqual(only({ provenance: { ...provenance, dirty: true } }), ["the code under src/ has uncommitted changes (abc1234), so the revision does not pin it"]);
  assert.deepEqual(only({ provenance: undefined }), ["it records no provenance (made by an older version)"]);
  assert.deepEqual(only({ seed: 2, trainConfig: { ...trainConfig, seed: 2 } }), ["it was trained with seed 2, this run asks for seed 1"]);
  assert.deepEqual(only({ sampler: "sandwich" }), ["it was trained with sandwich sampling, this run asks for uniform"]);
  assert.deepEqual(only({ sampler: null }), ["it does not record which arch sampler trained it"]);
  // A longer run: more updates and a schedule stretched over them.
  assert.deepEqual(only({ step: 6, trainConfig: { ...trainConfig, schedule: { ...schedule, maxUpdates: 6 } } }), [
    "it holds 6 updates, this run asks for 3",
    "its train config has schedule.maxUpdates = 6, this run asks for 3",
  ]);
  assert.deepEqual(only({ trainConfig: { ...trainConfig, labelSmoothing: 0, adam: { ...trainConfig.adam, beta2: 0.999 } } }), [
    "its train config has adam.beta2 = 0.999, this run asks for 0.98",
    "its train config has labelSmoothing = 0, this run asks for 0.1",
  ]);
});

// The fields trainingMismatches does not read, as a saved checkpoint has them.
function otherMetaFields() {
  return { kind: "supernet", rngState: [1, 2, 3, 4] as [number, number, number, number], supernetConfig: microConfig(), tokenizer: { dataset: "test", vocabSize: 24 }, adamSteps: {}, modelOptions: null, savedAt: "2024-01-01T00:00:00.000Z" };
}
