import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { TranslationData } from "../../src/data/translation-data";
import { createMos } from "../../src/mos/index";
import { makeSampler } from "../../src/space/index";
import { createSupernet } from "../../src/supernet/index";
import { restoreOrTrain } from "../../src/train/index";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

// Just what training reads of a data set: an epoch's batches and validation batches.
const data = { batchesForEpoch: () => [randomBatch(1), randomBatch(2)], validBatches: [randomBatch(3)] } as unknown as TranslationData;
const schedule = { kind: "constant" as const, lr: 1e-3, warmupInitLr: 1e-3, warmupUpdates: 0, maxUpdates: 3, minLr: 1e-3 };

test("restoreOrTrain trains and saves when there is no checkpoint, restores a matching one, and retrains (saying why) on a mismatch", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rot-")), "m.ckpt");
  const options = { updates: 2, schedule, seed: 1, sampler: makeSampler("sandwich", microSpace), showProgress: false };
  const first = await restoreOrTrain(file, () => createMos(microConfig(), { numExperts: 2 }, 1), data, options);
  assert.match(first.source, /no checkpoint at .*: trained 2 updates with sandwich sampling here and saved it there/);
  assert.ok(fs.existsSync(file));
  const again = await restoreOrTrain(file, () => createMos(microConfig(), { numExperts: 2 }, 5), data, options);
  assert.match(again.source, /restored .* \(step 2\)/);
  assert.deepEqual(Array.from(again.model.params["enc.0.fc1.experts.1.w"].dataSync()), Array.from(first.model.params["enc.0.fc1.experts.1.w"].dataSync()));
  const other = await restoreOrTrain(file, () => createSupernet(microConfig(), 1), data, options);
  assert.match(other.source, /checkpoint .* not used: .*holds a "mos" model, not "supernet".*: trained 2 updates/);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
