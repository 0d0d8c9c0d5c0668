import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { getSpace, largestArch, smallestArch, archKey } from "../../src/space";
import { createSupernet, makeSupernetConfig } from "../../src/supernet";
import { measureLatencies, measureLatency } from "../../src/search";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getSpace("tiny");

test("latency is the median of the timed runs and measuring leaves no tensor behind", async () => {
  const model = createSupernet(makeSupernetConfig(space, 200), 1);
  // The first run fills persistent caches (position tables); after it memory must stay flat.
  await measureLatency(model, largestArch(space), { srcLen: 6, tgtLen: 4, warmup: 0, repeats: 1 });
  const before = tf.memory().numTensors;
  const rows = await measureLatencies(model, [largestArch(space), smallestArch(space)], { srcLen: 6, tgtLen: 4, warmup: 1, repeats: 3 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(rows.map((r) => r.arch), [archKey(largestArch(space)), archKey(smallestArch(space))]);
  for (const r of rows) {
    assert.equal(r.runs.length, 3);
    assert.ok(r.runs.every((ms) => ms > 0));
    assert.equal(r.ms, [...r.runs].sort((a, b) => a - b)[1]);
  }
});

test("bad latency options name the field and the allowed range", async () => {
  const model = createSupernet(makeSupernetConfig(space, 200), 1);
  await assert.rejects(() => measureLatency(model, largestArch(space), { repeats: 0 }), /repeats = 0 must be an integer >= 1/);
  await assert.rejects(() => measureLatency(model, largestArch(space), { srcLen: 2.5 }), /srcLen = 2.5 must be an integer >= 1/);
  const bad = { ...largestArch(space), encoder: { ...largestArch(space).encoder, embedDim: 7 } };
  await assert.rejects(() => measureLatency(model, bad), /embedDim/);
});
