import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { archFeatures, largestArch, sampleArch, smallestArch } from "../../src/space/index";
import type { Arch } from "../../src/space/index";
import { archLoss, batchTensors, createSupernet } from "../../src/supernet/index";
import {
  MosSupernet, collapse, createMos, expertName, makeMosOptions, mosSettingsTable, neuronRoutingEntropy, routeArch, routerPrefix, routingTable,
} from "../../src/mos/index";
import { gradientsOf } from "../../src/train/gradients";
import { Rng } from "../../src/util/rng";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

/** The values of a tensor, which is disposed. */
async function read(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

const logits = (model: { logits: (...a: any[]) => tf.Tensor3D }, arch: Arch, seed: number) => read(tf.tidy(() => model.logits(arch, batchTensors(randomBatch(seed)), null)));

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what} ${i}: ${a[i]} vs ${b[i]}`);
}

/** Moves routers and expert biases off their start so archs really get different weights and biases matter. */
function perturb(model: MosSupernet, seed: number): void {
  let s = seed;
  for (const [name, v] of Object.entries(model.params)) {
    if (name.includes("router.w2") || (name.includes(".experts.") && name.endsWith(".b"))) v.assign(tf.randomNormal(v.shape, 0, 1, "float32", s++));
  }
}

const host2 = async (t: tf.Tensor) => (await t.array()) as number[][];
const host1 = async (t: tf.Tensor) => Array.from(await t.data());

/** The releases' router and mixing written as loops over neurons and experts, on host arrays. */
async function loopReference(model: MosSupernet, arch: Arch, layer: string, fc: "fc1" | "fc2", rows: number, cols: number): Promise<{ w: number[][]; b: number[] }> {
  const m = model.options.numExperts;
  const prefix = routerPrefix(layer, fc, model.options);
  const p = (n: string) => model.params[`${prefix}.${n}`];
  const x = archFeatures(microSpace, arch);
  const [w1, b1, w2, b2] = [await host2(p("w1")), await host1(p("b1")), await host2(p("w2")), await host1(p("b2"))];
  const hidden = b1.map((b, h) => Math.max(0, x.reduce((s, xi, i) => s + xi * w1[i][h], b)));
  const out = (j: number) => hidden.reduce((s, hv, h) => s + hv * w2[h][j], b2[j]);
  const neuronWise = model.options.granularity === "neuron";
  const alpha = (neuron: number): number[] => {
    // Neuron-major router outputs: output j is neuron floor(j / m), expert j % m.
    const z = Array.from({ length: m }, (_, e) => out(neuronWise ? neuron * m + e : e));
    const mx = Math.max(...z);
    const ez = z.map((v) => Math.exp(v - mx));
    const sum = ez.reduce((a, b) => a + b, 0);
    return ez.map((v) => v / sum);
  };
  const experts: { w: number[][]; b: number[] }[] = [];
  for (let e = 0; e < m; e++) experts.push({ w: await host2(model.params[expertName(layer, fc, e, "w")]), b: await host1(model.params[expertName(layer, fc, e, "b")]) });
  const w = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, j) => experts.reduce((s, ex, e) => s + alpha(j)[e] * ex.w[r][j], 0)));
  const b = Array.from({ length: cols }, (_, j) => experts.reduce((s, ex, e) => s + alpha(j)[e] * ex.b[j], 0));
  return { w, b };
}

test("with one expert, MoS is exactly the plain supernet (both granularities, both router inits)", async () => {
  const plain = createSupernet(microConfig(), 21);
  for (const granularity of ["layer", "neuron"] as const) {
    for (const routerInit of ["release", "uniform"] as const) {
      const mos = createMos(microConfig(), { numExperts: 1, granularity, routerHidden: 16, routerInit }, 21);
      const rng = new Rng(3);
      for (const arch of [largestArch(microSpace), smallestArch(microSpace), sampleArch(microSpace, rng)]) {
        assertClose(await logits(mos, arch, 1), await logits(plain, arch, 1), 0, `${granularity}/${routerInit}`);
      }
    }
  }
});

test("a loop over neurons and experts gives the collapsed subnet's weights and biases (neuron-major router outputs)", async () => {
  for (const granularity of ["layer", "neuron"] as const) {
    const mos = createMos(microConfig(), { numExperts: 3, granularity, routerHidden: 5 }, 22);
    perturb(mos, 40);
    const arch: Arch = { ...smallestArch(microSpace), encoder: { ...smallestArch(microSpace).encoder, embedDim: 8, ffnDim: [10, 6] } };
    const sub = collapse(mos, arch);
    for (const [layer, fc, rows, cols] of [["enc.0", "fc1", 8, 10], ["enc.0", "fc2", 10, 8], ["enc.1", "fc1", 8, 6]] as const) {
      const ref = await loopReference(mos, arch, layer, fc, rows, cols);
      assert.deepEqual(sub.params[`${layer}.${fc}.w`].shape, [rows, cols]);
      assertClose(await sub.params[`${layer}.${fc}.w`].data(), ref.w.flat(), 1e-5, `${granularity} ${layer}.${fc}.w`);
      assertClose(await sub.params[`${layer}.${fc}.b`].data(), ref.b, 1e-5, `${granularity} ${layer}.${fc}.b`);
    }
    for (const v of Object.values(sub.params)) v.dispose();
  }
});

test("collapse gives a plain subnet of the arch's sizes with the MoS supernet's logits, biases mixed", async () => {
  for (const granularity of ["layer", "neuron"] as const) {
    const mos = createMos(microConfig(), { numExperts: 3, granularity, routerHidden: 16 }, 22);
    perturb(mos, 5);
    const rng = new Rng(4);
    for (const arch of [largestArch(microSpace), sampleArch(microSpace, rng), sampleArch(microSpace, rng)]) {
      const sub = collapse(mos, arch);
      assert.equal(Object.keys(sub.params).some((n) => n.includes("experts") || n.includes("router")), false);
      assertClose(await logits(sub, arch, 2), await logits(mos, arch, 2), 1e-4, granularity);
      for (const v of Object.values(sub.params)) v.dispose();
    }
  }
});

test("routers give distributions over experts; training signal reaches experts, biases and both neuron-wise routers", async () => {
  const mos = createMos(microConfig(), { numExperts: 2, granularity: "neuron", routerHidden: 8 }, 23);
  const arch = sampleArch(microSpace, new Rng(1));
  const sums = tf.tidy(() =>
    [...routeArch(mos.params, microSpace, arch, mos.options, null).values()].map((r) => {
      assert.equal(r.fc1.shape[1], 2);
      return tf.sum(r.fc1, 1);
    }),
  );
  for (const perNeuron of sums) for (const s of await read(perNeuron)) assert.ok(Math.abs(s - 1) < 1e-5);
  const { grads } = gradientsOf(mos.params, () => archLoss(mos, arch, batchTensors(randomBatch(5)), null, 0.1));
  for (const name of [expertName("enc.0", "fc1", 1, "w"), expertName("enc.0", "fc2", 1, "b"), "enc.0.fc1.router.w2", "enc.0.fc2.router.w1"]) {
    assert.ok(grads[name], `${name} gets a gradient`);
    assert.ok((await read(tf.norm(grads[name])))[0] > 0, `${name}: non-zero gradient`);
  }
  for (const g of Object.values(grads)) g.dispose();
  const rows = await routingTable(mos, [arch]);
  assert.equal(rows.filter((r) => r.layer === "enc.0" && r.fc === "fc1").length, 2);
  const entropy = await neuronRoutingEntropy(mos, arch);
  assert.ok(entropy.every((r) => r.entropy >= 0 && r.entropy <= r.maxEntropy + 1e-9));
});

test("router dropout acts in training mode only, and a uniform router init starts every arch at the equal mixture", async () => {
  const mos = createMos(microConfig(), { numExperts: 2, granularity: "layer", routerHidden: 32, routerDropout: 0.5 }, 24);
  const arch = largestArch(microSpace);
  const w = async (rng: Rng | null) => Array.from(await read(tf.tidy(() => mos.weightsFor(arch, rng)["enc.0.fc1.w"])));
  assert.deepEqual(await w(null), await w(null));
  assert.notDeepEqual(await w(new Rng(1)), await w(new Rng(2)));
  const uniform = createMos(microConfig(), { numExperts: 3, granularity: "neuron", routerHidden: 8, routerInit: "uniform" }, 24);
  for (const r of await routingTable(uniform, [arch, smallestArch(microSpace)])) assert.ok(Math.abs(r.weight - 1 / 3) < 1e-6);
});

test("MoS options are validated with the field named, and the settings table names every source", () => {
  assert.throws(() => makeMosOptions({ numExperts: 0 }), /numExperts must be an integer in \[1, 16\]; got 0/);
  assert.throws(() => makeMosOptions({ granularity: "token" as never }), /granularity must be "layer" or "neuron"/);
  assert.throws(() => makeMosOptions({ routerInit: "zero" as never }), /routerInit must be "release" or "uniform"; got "zero"/);
  assert.throws(() => makeMosOptions({ featureNorms: "max" as never }), /featureNorms must be "space" or "hat"/);
  const table = mosSettingsTable(makeMosOptions());
  assert.deepEqual(table.map((r) => r.option).sort(), ["featureNorms", "granularity", "numExperts", "routerDropout", "routerHidden", "routerInit"]);
  assert.ok(table.every((r) => r.source.length > 0));
  assert.equal(table.find((r) => r.option === "routerDropout")?.mtRelease, "0.1");
});
