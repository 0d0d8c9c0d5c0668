import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { dispatchPlan, makeMoeOptions, moeFfn } from "../../src/moe/index";
import type { MoeLayerStats, MoeLayerWidths, MoeOptions } from "../../src/moe/index";
import { forwardContext } from "../../src/supernet/forward";
import { slicedFfn } from "../../src/supernet/layers";
import { Rng } from "../../src/util/rng";
import { assertAllClose, autodiffGradients, numericGradients, projection } from "../ops/grad-check";
import { useBackend } from "../helpers/backend";

useBackend();

const dMax = 6;
const ffnMax = 5;
const eMax = 3;

/** Max-size weights of one MoE layer "l": dense FFN (expert 0), experts 1..2, router. */
function layerWeights(seed: number): Record<string, tf.Tensor> {
  const rng = new Rng(seed);
  const t = (shape: number[], scale = 0.5) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * scale), shape);
  const w: Record<string, tf.Tensor> = { "l.router.w": t([dMax, eMax], 1.5), "l.router.b": t([eMax]) };
  for (const p of ["l", "l.experts.1", "l.experts.2"]) Object.assign(w, { [`${p}.fc1.w`]: t([dMax, ffnMax]), [`${p}.fc1.b`]: t([ffnMax]), [`${p}.fc2.w`]: t([ffnMax, dMax]), [`${p}.fc2.b`]: t([dMax]) });
  return w;
}

const host = (x: tf.Tensor) => Array.from(x.dataSync());

/** The layer token by token on host arrays: router, softmax, top-k, capacity in token order, scaled expert outputs. */
function loopReference(w: Record<string, tf.Tensor>, x: number[][], widths: MoeLayerWidths, options: MoeOptions): number[][] {
  const d = widths.embedDim;
  const n = widths.expertWidths.length;
  const k = Math.min(widths.topK, n);
  const at = (name: string) => w[name].arraySync() as number[][];
  const vec = (name: string) => host(w[name]);
  const capacity = Math.floor((options.capacityFactor * x.length * k) / n);
  const taken = new Array(n).fill(0);
  const [rw, rb] = [at("l.router.w"), vec("l.router.b")];
  return x.map((xt) => {
    const z = Array.from({ length: n }, (_, e) => xt.slice(0, d).reduce((s, v, j) => s + v * rw[j][e], rb[e]));
    const mx = Math.max(...z);
    const p = z.map((v) => Math.exp(v - mx));
    const sum = p.reduce((a, b) => a + b, 0);
    const probs = p.map((v) => v / sum);
    const order = probs.map((_, e) => e).sort((a, b) => probs[b] - probs[a]).slice(0, k);
    const out = new Array(d).fill(0);
    for (const e of order) {
      if (options.dropTokens && taken[e] >= capacity) continue;
      taken[e]++;
      const pre = e === 0 ? "l" : `l.experts.${e}`;
      const [w1, b1, w2, b2] = [at(`${pre}.fc1.w`), vec(`${pre}.fc1.b`), at(`${pre}.fc2.w`), vec(`${pre}.fc2.b`)];
      const width = widths.expertWidths[e];
      const h = Array.from({ length: width }, (_, c) => Math.max(0, xt.reduce((s, v, j) => s + v * w1[j][c], b1[c])));
      for (let o = 0; o < d; o++) out[o] += probs[e] * h.reduce((s, v, c) => s + v * w2[c][o], b2[o]);
    }
    return out;
  });
}

const ctx = forwardContext(null);

for (const [topK, dropTokens] of [[1, false], [2, false], [1, true], [2, true]] as const) {
  for (const dispatch of ["host", "device"] as const) {
    test(`${dispatch} dispatch equals a token-by-token loop (top-${topK}, ${dropTokens ? "with" : "without"} capacity dropping)`, async () => {
      const w = layerWeights(3);
      const widths: MoeLayerWidths = { embedDim: 4, expertWidths: [5, 2, 4], topK };
      const options = makeMoeOptions({ capacityFactor: 0.5, dropTokens });
      const rng = new Rng(9);
      const xs = Array.from({ length: 2 * 5 }, () => Array.from({ length: 4 }, () => rng.normal()));
      const x = tf.tensor3d(xs.flat(), [2, 5, 4]);
      const before = tf.memory().numTensors;
      let pending: Promise<MoeLayerStats> | null = null;
      const [output, balanceLoss] = tf.tidy(() => {
        const out = moeFfn(w, "l", x, widths, options, 0, ctx, true, dispatch);
        pending = out.stats;
        return [out.output, out.balanceLoss];
      });
      const r = { output, balanceLoss, stats: pending as Promise<MoeLayerStats> | null };
      assert.deepEqual(r.output.shape, [2, 5, 4]);
      assertAllClose(r.output.dataSync(), Float32Array.from(loopReference(w, xs, widths, options).flat()), 1e-4, "output");
      const stats = await r.stats;
      assert.ok(stats);
      assert.equal(stats.assigned.reduce((a, b) => a + b, 0), 10 * topK);
      if (dropTokens) assert.ok(stats.dropped.some((v) => v > 0), "capacity 0.5 drops some tokens");
      else assert.deepEqual(stats.dropped, [0, 0, 0]);
      tf.dispose([r.output, r.balanceLoss]);
      assert.equal(tf.memory().numTensors, before, "statistics tensors are freed once read");
      tf.dispose([x, ...Object.values(w)]);
    });
  }
}

test("host and device dispatch agree on every statistic and on the balance loss, and the device path skips statistics when not asked", async () => {
  const w = layerWeights(7);
  const widths: MoeLayerWidths = { embedDim: 5, expertWidths: [5, 3, 4], topK: 2 };
  const options = makeMoeOptions({ capacityFactor: 0.6, dropTokens: true });
  const x = tf.randomNormal([3, 7, 5], 0, 1, "float32", 4);
  const host = moeFfn(w, "l", x, widths, options, 0, ctx, true, "host");
  const device = moeFfn(w, "l", x, widths, options, 0, ctx, true, "device");
  const [a, b] = [await host.stats, await device.stats];
  assert.ok(a && b);
  assert.deepEqual({ ...b, meanProb: [], entropy: 0 }, { ...a, meanProb: [], entropy: 0 });
  assertAllClose(Float32Array.from(b.meanProb), Float32Array.from(a.meanProb), 1e-6, "meanProb");
  assert.ok(Math.abs(a.entropy - b.entropy) < 1e-5);
  assert.ok(a.firstChoice.some((e) => e < 0), "capacity 0.6 drops some first choices");
  assert.ok(Math.abs(host.balanceLoss.dataSync()[0] - device.balanceLoss.dataSync()[0]) < 1e-5);
  assert.equal(moeFfn(w, "l", x, widths, options, 0, ctx, false, "device").stats, null);
});

test("a 1-expert layer is exactly the dense FFN, and its balance loss is the constant 1", () => {
  const w = layerWeights(4);
  const x = tf.randomNormal([2, 3, 4], 0, 1, "float32", 2);
  const r = moeFfn(w, "l", x, { embedDim: 4, expertWidths: [3], topK: 2 }, makeMoeOptions(), 0, ctx);
  assert.deepEqual(host(r.output), host(slicedFfn(w, "l", x, 4, 3, 0, ctx)));
  assert.equal(r.balanceLoss.dataSync()[0], 1);
});

test("the balance loss on a hand case: every token to expert 0 with probability 3/4 gives n * (1 * 3/4 + 0 * 1/4) = 1.5", async () => {
  const w = layerWeights(5);
  w["l.router.w"] = tf.zeros([dMax, eMax]);
  w["l.router.b"] = tf.tensor1d([Math.log(3), 0, -50]);
  for (const dispatch of ["host", "device"] as const) {
    const r = moeFfn(w, "l", tf.ones([1, 4, 4]), { embedDim: 4, expertWidths: [2, 2], topK: 1 }, makeMoeOptions(), 0, ctx, true, dispatch);
    assert.ok(Math.abs(r.balanceLoss.dataSync()[0] - 1.5) < 1e-6, dispatch);
    const stats = await r.stats;
    assert.deepEqual(stats?.assigned, [4, 0]);
    assert.ok(Math.abs((stats?.meanProb[0] ?? 0) - 0.75) < 1e-6);
  }
});

for (const dispatch of ["host", "device"] as const) {
  test(`gradients through ${dispatch} dispatch match central differences (input, an expert's weight, the router)`, () => {
    const w = layerWeights(6);
    const rng = new Rng(2);
    const x0 = tf.tensor2d(Array.from({ length: 5 * 4 }, () => rng.normal()), [5, 4]);
    const widths: MoeLayerWidths = { embedDim: 4, expertWidths: [3, 2, 4], topK: 2 };
    const f = (x: tf.Tensor, e1: tf.Tensor, router: tf.Tensor) => moeFfn({ ...w, "l.experts.1.fc1.w": e1, "l.router.w": router }, "l", x, widths, makeMoeOptions(), 0, ctx, false, dispatch).output;
    const inputs = [x0, w["l.experts.1.fc1.w"], w["l.router.w"]];
    const r = projection(rng, f, inputs);
    const grads = autodiffGradients(f, inputs, r);
    const numeric = numericGradients(f, inputs, r, 1e-3);
    ["x", "expert 1 fc1", "router"].forEach((name, i) => assertAllClose(grads[i], numeric[i], 2e-2, `d${name}`));
  });
}

test("the dispatch plan keeps token order under capacity, and options are validated with the field named", () => {
  const plan = dispatchPlan([0, 0, 1, 0], 4, 1, 2, makeMoeOptions({ capacityFactor: 1, dropTokens: true }));
  assert.deepEqual(plan.perExpert, [[0, 1], [2]]);
  assert.deepEqual(plan.dropped, [1, 0]);
  assert.throws(() => makeMoeOptions({ capacityFactor: 0 }), /capacityFactor must be a finite number > 0; got 0/);
  assert.throws(() => makeMoeOptions({ balanceLossCoef: -1 }), /balanceLossCoef must be a finite number >= 0/);
});
