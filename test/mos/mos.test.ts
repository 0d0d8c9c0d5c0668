import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { archFeatures, largestArch, sampleArch, smallestArch } from "../../src/space/index";
import { archLoss, batchTensors, createSupernet } from "../../src/supernet/index";
import { collapse, createMos, makeMosOptions, mixExperts, routeLayer, routingTable } from "../../src/mos/index";
import { gradientsOf } from "../../src/train/gradients";
import { Rng } from "../../src/util/rng";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

const logits = (model: { logits: (...a: any[]) => tf.Tensor3D }, arch: ReturnType<typeof largestArch>, seed: number) =>
  tf.tidy(() => model.logits(arch, batchTensors(randomBatch(seed)), null).dataSync() as Float32Array);

function assertClose(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what} ${i}: ${a[i]} vs ${b[i]}`);
}

test("with one expert, MoS is exactly the plain supernet (both granularities)", () => {
  const plain = createSupernet(microConfig(), 21);
  for (const granularity of ["layer", "neuron"] as const) {
    const mos = createMos(microConfig(), { numExperts: 1, granularity, routerHidden: 16 }, 21);
    const rng = new Rng(3);
    for (const arch of [largestArch(microSpace), smallestArch(microSpace), sampleArch(microSpace, rng)]) {
      assertClose(logits(mos, arch, 1), logits(plain, arch, 1), 0, granularity);
    }
  }
});

test("collapse gives a plain subnet of the arch's sizes with the MoS supernet's logits", () => {
  for (const granularity of ["layer", "neuron"] as const) {
    const mos = createMos(microConfig(), { numExperts: 3, granularity, routerHidden: 16 }, 22);
    // Move the routers off their uniform start so that archs really get different weights.
    for (const [name, v] of Object.entries(mos.params)) if (name.includes("router.w2")) v.assign(tf.randomNormal(v.shape, 0, 1, "float32", 5));
    const rng = new Rng(4);
    for (const arch of [largestArch(microSpace), sampleArch(microSpace, rng), sampleArch(microSpace, rng)]) {
      const sub = collapse(mos, arch);
      assert.equal(Object.keys(sub.params).some((n) => n.includes("experts") || n.includes("router")), false);
      assertClose(logits(sub, arch, 2), logits(mos, arch, 2), 1e-4, granularity);
      for (const v of Object.values(sub.params)) v.dispose();
    }
  }
});

test("the vectorised mixture equals a loop over experts and neurons", () => {
  const experts = tf.tensor3d(Array.from({ length: 3 * 2 * 4 }, (_, i) => Math.sin(i)), [3, 2, 4]);
  const layerAlpha = tf.tensor2d([[0.2], [0.5], [0.3]]);
  const neuronAlpha = tf.tensor2d([[0.1, 0.2, 0.3, 0.4], [0.6, 0.3, 0.3, 0.2], [0.3, 0.5, 0.4, 0.4]]);
  const e = experts.arraySync();
  const la = layerAlpha.arraySync();
  const na = neuronAlpha.arraySync();
  const byLayer = mixExperts(experts, layerAlpha).arraySync();
  const byNeuron = mixExperts(experts, neuronAlpha).arraySync();
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      let a = 0;
      let b = 0;
      for (let i = 0; i < 3; i++) {
        a += la[i][0] * e[i][r][c];
        b += na[i][c] * e[i][r][c];
      }
      assert.ok(Math.abs(byLayer[r][c] - a) < 1e-6);
      assert.ok(Math.abs(byNeuron[r][c] - b) < 1e-6);
    }
  }
  tf.dispose([experts, layerAlpha, neuronAlpha]);
});

test("router weights are distributions over experts, and training signal reaches experts and routers", () => {
  const mos = createMos(microConfig(), { numExperts: 2, granularity: "neuron", routerHidden: 8 }, 23);
  const arch = sampleArch(microSpace, new Rng(1));
  tf.tidy(() => {
    const r = routeLayer(mos.params, "enc.0", tf.tensor1d(archFeatures(microSpace, arch)), mos.options, null);
    const sums = tf.sum(r.fc1, 0).dataSync();
    for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-5);
  });
  const { grads } = gradientsOf(mos.params, () => archLoss(mos, arch, batchTensors(randomBatch(5)), null, 0.1));
  assert.ok(grads["enc.0.fc1.experts"], "experts get gradients");
  assert.ok(grads["enc.0.router.w2"], "routers get gradients");
  const norm = tf.tidy(() => tf.norm(grads["enc.0.router.w2"]).dataSync()[0]);
  assert.ok(norm > 0, "the router's output layer has a non-zero gradient");
  for (const g of Object.values(grads)) g.dispose();
  const rows = routingTable(mos, [arch]);
  assert.equal(rows.filter((r) => r.layer === "enc.0" && r.fc === "fc1").length, 2);
});

test("MoS options are validated with the field named", () => {
  assert.throws(() => makeMosOptions({ numExperts: 0 }), /numExperts must be an integer in \[1, 16\]; got 0/);
  assert.throws(() => makeMosOptions({ granularity: "token" as never }), /granularity must be "layer" or "neuron"/);
});
