import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createMos } from "../../src/mos";
import { getSpace, largestArch, smallestArch } from "../../src/space";
import { createSupernet, disposeParams, extractSubnet, makeSupernetConfig } from "../../src/supernet";
import { useBackend } from "../helpers/backend";

useBackend();

test("creating and disposing supernets, MoS models and extracted subnets gives all their memory back", () => {
  const config = makeSupernetConfig(getSpace("tiny"), 100);
  const before = tf.memory();
  for (let i = 0; i < 2; i++) {
    const supernet = createSupernet(config, 1 + i);
    const mos = createMos(config, { numExperts: 2, granularity: "neuron" }, 1 + i);
    const subnets = [largestArch(config.space), smallestArch(config.space)].map((a) => extractSubnet(supernet, a));
    for (const m of [supernet, mos, ...subnets]) disposeParams(m.params);
  }
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numBytes, before.numBytes);
});
