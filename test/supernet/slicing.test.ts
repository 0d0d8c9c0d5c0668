import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { largestArch, smallestArch, sampleArch } from "../../src/space/index";
import { batchTensors, createSupernet, extractSubnet, paramShapes, subnetShapes } from "../../src/supernet/index";
import { Rng } from "../../src/util/rng";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

function logitsOf(model: ReturnType<typeof createSupernet>, arch: ReturnType<typeof largestArch>, seed: number): Float32Array {
  return tf.tidy(() => model.logits(arch, batchTensors(randomBatch(seed)), null).dataSync() as Float32Array);
}

test("an extracted subnet (copied weights of exactly its sizes) gives the supernet's logits", () => {
  const model = createSupernet(microConfig(), 3);
  const rng = new Rng(5);
  const archs = [largestArch(microSpace), smallestArch(microSpace), ...Array.from({ length: 4 }, () => sampleArch(microSpace, rng))];
  for (const arch of archs) {
    const sub = extractSubnet(model, arch);
    const shapes = subnetShapes(model.config, arch);
    for (const [name, shape] of Object.entries(shapes)) assert.deepEqual(sub.params[name].shape, shape, name);
    const a = logitsOf(model, arch, 1);
    const b = logitsOf(sub, arch, 1);
    assert.equal(a.length, b.length);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4, `logit ${i}: ${a[i]} vs ${b[i]}`);
    for (const v of Object.values(sub.params)) v.dispose();
  }
});

test("subnets share weights: changing a weight inside the smallest arch's slice changes both archs, outside it only the largest", () => {
  const model = createSupernet(microConfig(), 4);
  const large = largestArch(microSpace);
  const small = smallestArch(microSpace);
  const before = [logitsOf(model, large, 2), logitsOf(model, small, 2)];
  const fc1 = model.params["enc.0.fc1.w"]; // [12, 10]; the smallest uses [8, 6]
  const bump = (row: number, col: number) => {
    const values = fc1.arraySync() as number[][];
    values[row][col] += 0.5;
    fc1.assign(tf.tensor2d(values));
  };
  const changed = (x: Float32Array, y: Float32Array) => x.some((v, i) => Math.abs(v - y[i]) > 1e-6);
  bump(10, 8); // outside the smallest slice
  assert.ok(changed(before[0], logitsOf(model, large, 2)), "the largest arch uses row 10, column 8");
  assert.ok(!changed(before[1], logitsOf(model, small, 2)), "the smallest arch does not");
  bump(1, 2); // inside both slices
  assert.ok(changed(before[1], logitsOf(model, small, 2)), "the smallest arch uses row 1, column 2");
});

test("shared weights are sized by the largest choice of every dimension", () => {
  const shapes = paramShapes(microConfig());
  assert.deepEqual(shapes.embed, [24, 12]);
  assert.deepEqual(shapes["enc.1.fc1.w"], [12, 10]);
  assert.deepEqual(shapes["dec.1.crossAttn.k.w"], [12, 8]);
  assert.deepEqual(shapes["dec.1.crossAttn.o.w"], [8, 12]);
  assert.equal(shapes["dec.2.fc1.w"], undefined);
});

test("the forward pass leaks no tensors", () => {
  const model = createSupernet(microConfig(0.1), 6);
  const arch = largestArch(microSpace);
  logitsOf(model, arch, 1);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) logitsOf(model, arch, i);
  assert.equal(tf.memory().numTensors, before);
});
