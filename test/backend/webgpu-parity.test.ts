/**
 * The library on webgpu equals the library on wasm: logits and gradients of a micro supernet, a
 * neuron-wise MoS model and an AutoMoE model (its routing planned on the device), a few training
 * steps' losses, and greedy decoding. On a machine without a GPU the webgpu backend runs on Mesa's
 * lavapipe, which scripts/setup-vulkan.sh installs; forced with SUPERNET_BACKEND's option, since a
 * software adapter is never picked unasked. Each case runs on wasm first, then on webgpu with the
 * same seeds, and the numbers are compared (float32 on both; kernels differ in summation order).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, selectBackend } from "../../src/backend/index";
import { defineSpace, largestArch, sampleArch, smallestArch, uniformSampler } from "../../src/space/index";
import type { Arch } from "../../src/space/index";
import { WeightSharingModel, archLoss, batchTensors, createSupernet, makeSupernetConfig } from "../../src/supernet/index";
import { createMos } from "../../src/mos/index";
import { greedyDecode } from "../../src/eval/decode";
import { createTrainerState, gradientsOf, makeTrainConfig, trainStep } from "../../src/train/index";
import { Rng } from "../../src/util/rng";
import { microSpace, randomBatch } from "../helpers/micro";

/** Logits agree to this absolute tolerance (values are O(1-10)); gradients relative to their scale. */
const logitTol = 2e-4;
const gradTol = 2e-3;

const moeMicro = defineSpace({
  ...microSpace,
  name: "micro-moe",
  encoder: { ...microSpace.encoder, numExperts: [1, 2, 3], topK: [1, 2], expertFfnDim: [4, 6, 10] },
  decoder: { ...microSpace.decoder!, numExperts: [1, 2], topK: [1], expertFfnDim: [6, 10] },
});
const moeArch: Arch = {
  encoder: { embedDim: 12, numLayers: 2, ffnDim: [10, 6], numHeads: [2, 1], numExperts: [3, 2], topK: [2, 1], expertFfnDim: [[4, 10], [6]] },
  decoder: { embedDim: 8, numLayers: 2, ffnDim: [6, 10], selfHeads: [1, 2], crossHeads: [2, 1], crossLayers: [1, 2], numExperts: [2, 1], topK: [1, 1], expertFfnDim: [[10], []] },
};

interface Case {
  readonly name: string;
  readonly model: () => WeightSharingModel;
  readonly archs: readonly Arch[];
}

const cases: Case[] = [
  { name: "supernet", model: () => createSupernet(makeSupernetConfig(microSpace, 24, { dropout: 0 }), 3), archs: [largestArch(microSpace), smallestArch(microSpace), sampleArch(microSpace, new Rng(5))] },
  { name: "MoS neuron-wise", model: () => createMos(makeSupernetConfig(microSpace, 24, { dropout: 0 }), { numExperts: 2, granularity: "neuron" }, 4), archs: [largestArch(microSpace), sampleArch(microSpace, new Rng(6))] },
  { name: "AutoMoE", model: () => createSupernet(makeSupernetConfig(moeMicro, 24, { dropout: 0, moe: { capacityFactor: 0.75, dropTokens: true } }), 5), archs: [moeArch] },
];

interface Outcome {
  readonly logits: number[][];
  readonly grads: Record<string, number[]>[];
  readonly trainLosses: number[];
  readonly decoded: number[][];
}

async function run(c: Case): Promise<Outcome> {
  const batch = randomBatch(11, 4);
  const model = c.model();
  const logits: number[][] = [];
  const grads: Record<string, number[]>[] = [];
  for (const arch of c.archs) {
    const l = tf.tidy(() => model.logits(arch, batchTensors(batch), null));
    logits.push(Array.from(await l.data()));
    l.dispose();
    const tensors = batchTensors(batch);
    const { value, grads: g } = gradientsOf(model.params, () => archLoss(model, arch, tensors, null, 0.1));
    const named: Record<string, number[]> = {};
    for (const [name, t] of Object.entries(g)) named[name] = Array.from(await t.data());
    grads.push(named);
    tf.dispose([value, ...Object.values(g), ...Object.values(tensors)]);
  }
  const config = makeTrainConfig({ schedule: { kind: "constant", lr: 3e-3, warmupInitLr: 3e-3, warmupUpdates: 0, maxUpdates: 10, minLr: 3e-3 }, seed: 2 });
  const state = createTrainerState(config);
  const trainLosses: number[] = [];
  const sampler = c.archs.length > 1 ? uniformSampler(microSpace) : { name: "fixed", next: () => [c.archs[0]] };
  for (let i = 0; i < 3; i++) trainLosses.push((await trainStep(model, state, config, sampler, randomBatch(20 + i, 4))).losses[0].loss);
  const decoded = await greedyDecode(model, c.archs[0], batch, 6);
  for (const v of Object.values(model.params)) v.dispose();
  for (const m of [...state.adam.m.values(), ...state.adam.v.values()]) m.dispose();
  return { logits, grads, trainLosses, decoded };
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

/** Whether any Vulkan driver (ICD) is installed; without one Dawn has no adapter to offer. */
const vulkanDriver = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"].some((dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith(".json")));

test("webgpu (forced, software adapter here) gives wasm's logits, gradients, training losses and decodings", { skip: vulkanDriver ? false : "no Vulkan driver (scripts/setup-vulkan.sh installs lavapipe on Debian 12)" }, async () => {
  await selectBackend({ prefer: "wasm", force: true });
  const reference: Outcome[] = [];
  for (const c of cases) reference.push(await run(c));
  const report = await selectBackend({ prefer: "webgpu", force: true });
  assert.equal(tf.getBackend(), "webgpu", describeBackend(report));
  assert.ok(report.adapter, "the report names the adapter");
  for (const [i, c] of cases.entries()) {
    const got = await run(c);
    const want = reference[i];
    got.logits.forEach((l, a) => assert.ok(maxAbsDiff(l, want.logits[a]) < logitTol, `${c.name} arch ${a}: logits differ by ${maxAbsDiff(l, want.logits[a])}`));
    got.grads.forEach((g, a) => {
      assert.deepEqual(Object.keys(g).sort(), Object.keys(want.grads[a]).sort(), `${c.name}: the same weights get gradients`);
      for (const [name, values] of Object.entries(g)) {
        const scale = Math.max(1e-3, ...want.grads[a][name].map(Math.abs));
        assert.ok(maxAbsDiff(values, want.grads[a][name]) / scale < gradTol, `${c.name} arch ${a} d${name}: relative difference ${maxAbsDiff(values, want.grads[a][name]) / scale}`);
      }
    });
    assert.ok(maxAbsDiff(got.trainLosses, want.trainLosses) < 1e-3, `${c.name}: training losses ${got.trainLosses} vs ${want.trainLosses}`);
    assert.deepEqual(got.decoded, want.decoded, `${c.name}: greedy decoding`);
  }
});
