import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { smallestArch, sampleArch } from "../../src/space/index";
import { archLoss, batchTensors, createSupernet, subnetShapes } from "../../src/supernet/index";
import { gradientsOf } from "../../src/train/gradients";
import { Rng } from "../../src/util/rng";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";
import { centralDifference } from "../helpers/central-difference";

useBackend();

// Central differences in float32 need a step large enough to beat rounding; the loss is smooth.
const eps = 1e-2;

test("gradients of sliced weights match central-difference numerical gradients", () => {
  const model = createSupernet(microConfig(), 11);
  const arch = sampleArch(microSpace, new Rng(2));
  const batch = randomBatch(3);
  const loss = () => tf.tidy(() => archLoss(model, arch, batchTensors(batch), null, 0.1).dataSync()[0]);
  const { grads } = gradientsOf(model.params, () => archLoss(model, arch, batchTensors(batch), null, 0.1));
  const rng = new Rng(9);
  const names = ["embed", "enc.0.selfAttn.q.w", "enc.1.fc2.w", "enc.0.ln1.g", "dec.0.crossAttn.k.w", "dec.0.fc1.b", "dec.ln.b"];
  const used = subnetShapes(model.config, arch);
  let checked = 0;
  for (const name of names) {
    const param = model.params[name];
    const g = grads[name].dataSync();
    for (let trial = 0; trial < 4; trial++) {
      // An entry inside the arch's slice: row < used rows, column < used columns of the full weight.
      const [rows, cols] = used[name];
      const i = cols === undefined ? rng.int(rows) : rng.int(rows) * (param.shape[1] as number) + rng.int(cols);
      const numeric = centralDifference(param, i, loss, eps);
      assert.ok(Math.abs(numeric - g[i]) <= 2e-3 + 0.05 * Math.abs(numeric), `${name}[${i}]: analytic ${g[i]}, numeric ${numeric}`);
      checked++;
    }
  }
  assert.equal(checked, names.length * 4);
  for (const t of Object.values(grads)) t.dispose();
});

test("a weight's gradient is zero outside the slice the arch uses, and unused layers get none", () => {
  const model = createSupernet(microConfig(), 12);
  const arch = smallestArch(microSpace); // embed 8, ffn 6, one decoder layer
  const { grads } = gradientsOf(model.params, () => archLoss(model, arch, batchTensors(randomBatch(4)), null, 0));
  const fc1 = grads["enc.0.fc1.w"].arraySync() as number[][]; // [12, 10], slice [8, 6]
  let inside = 0;
  for (let r = 0; r < 12; r++) {
    for (let c = 0; c < 10; c++) {
      if (r < 8 && c < 6) inside += Math.abs(fc1[r][c]);
      else assert.equal(fc1[r][c], 0, `row ${r} col ${c}`);
    }
  }
  assert.ok(inside > 0);
  assert.equal(grads["dec.1.fc1.w"], undefined, "decoder layer 1 is not in the arch");
  for (const t of Object.values(grads)) t.dispose();
});
