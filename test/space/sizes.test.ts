import { test } from "node:test";
import assert from "node:assert/strict";
import { archFlops, archParams, largestArch, sampleArch, smallestArch, spaces } from "../../src/space";
import type { Arch, SearchSpace } from "../../src/space";
import { Rng } from "../../src/util/rng";

// A space small enough to count by hand: e = 4, D = 6, Q = 4.
const hand: SearchSpace = {
  name: "hand",
  encoder: { embedDim: [4], numLayers: [2], ffnDim: [8], numHeads: [2] },
  decoder: { embedDim: [6], numLayers: [1], ffnDim: [5], selfHeads: [2], crossHeads: [2], crossLayers: [1, 2] },
  qkvDim: 4,
};
const oneLayer: Arch = {
  encoder: { embedDim: 4, numLayers: 2, ffnDim: [8, 8], numHeads: [2, 2] },
  decoder: { embedDim: 6, numLayers: 1, ffnDim: [5], selfHeads: [2], crossHeads: [2], crossLayers: [1] },
};

/** Parameters of a linear layer [inDim → outDim] with bias. */
const linear = (inDim: number, outDim: number) => inDim * outDim + outDim;

test("archParams matches a count of every weight tensor", () => {
  const encoderLayer =
    4 * linear(4, 4) + // q, k, v (4 → Q=4) and output (Q → 4)
    linear(4, 8) + linear(8, 4) + // FFN
    2 * (4 + 4); // two LayerNorms (gain, bias)
  const decoderLayer =
    3 * linear(6, 4) + linear(4, 6) + // self attention
    linear(6, 4) + 2 * linear(4, 4) + linear(4, 6) + // cross attention: k, v read the 4-wide encoder
    linear(6, 5) + linear(5, 6) + // FFN
    3 * (6 + 6); // three LayerNorms
  const finalNorms = 2 * 4 + 2 * 6;
  const body = 2 * encoderLayer + decoderLayer + finalNorms;
  assert.equal(body, 2 * 172 + 319 + 20);
  assert.equal(archParams(hand, oneLayer, 10, { includeEmbeddings: false }), body);
  assert.equal(archParams(hand, oneLayer, 10), body + 10 * 6); // one table, max(e, D) columns
  // crossLayers changes no parameter count.
  const wider = { ...oneLayer, decoder: { ...oneLayer.decoder!, crossLayers: [2] } };
  assert.equal(archParams(hand, wider, 10), body + 60);
});

test("archFlops matches a count of every matmul", () => {
  const mm = (m: number, k: number, n: number) => m * k * n; // multiply-adds of [m×k]·[k×n]
  const S = 3;
  const T = 2;
  const encoderLayer = 4 * mm(S, 4, 4) + mm(S, 4, S) + mm(S, S, 4) + mm(S, 4, 8) + mm(S, 8, 4);
  const decoderLayer = (c: number) =>
    3 * mm(T, 6, 4) + mm(T, 4, 6) + mm(T, 4, T) + mm(T, T, 4) + // self attention over all T keys
    mm(T, 6, 4) + 2 * mm(c * S, 4, 4) + mm(T, 4, c * S) + mm(T, c * S, 4) + mm(T, 4, 6) + // cross attention
    mm(T, 6, 5) + mm(T, 5, 6); // FFN
  const output = mm(T, 6, 10);
  const opts = { srcLen: S, tgtLen: T, vocabSize: 10 };
  assert.equal(2 * encoderLayer + decoderLayer(1) + output, 2 * 456 + 584 + 120);
  assert.equal(archFlops(hand, oneLayer, opts), 2 * 1616);
  assert.equal(archFlops(hand, oneLayer, { ...opts, includeEmbeddings: false }), 2 * (1616 - output));
  const wider = { ...oneLayer, decoder: { ...oneLayer.decoder!, crossLayers: [2] } };
  assert.equal(archFlops(hand, wider, opts), 2 * (2 * encoderLayer + decoderLayer(2) + output));
});

test("sizes grow from the smallest to the largest arch and validate their inputs", () => {
  for (const space of Object.values(spaces)) {
    const opts = { srcLen: 20, tgtLen: 20, vocabSize: 1000 };
    const lo = archFlops(space, smallestArch(space), opts);
    const hi = archFlops(space, largestArch(space), opts);
    const rng = new Rng(1);
    for (let i = 0; i < 20; i++) {
      const a = sampleArch(space, rng);
      const f = archFlops(space, a, opts);
      const p = archParams(space, a, 1000);
      assert.ok(f >= lo && f <= hi);
      assert.ok(p >= archParams(space, smallestArch(space), 1000) && p <= archParams(space, largestArch(space), 1000));
    }
  }
  assert.throws(() => archParams(hand, oneLayer, 0), /vocabSize = 0 must be a positive integer/);
  assert.equal(archParams(hand, oneLayer, 0, { includeEmbeddings: false }), 683);
  assert.throws(() => archFlops(hand, oneLayer, { srcLen: 0, tgtLen: 2, vocabSize: 5 }), /srcLen = 0/);
  assert.throws(() => archFlops(hand, oneLayer, { srcLen: 3, tgtLen: 2 }), /vocabSize = undefined must be a positive integer/);
  assert.throws(() => archParams(spaces.tiny, oneLayer, 10), /encoder\.embedDim = 4 is not allowed/);
});

test("the paper space's largest subnet has HAT-scale size", () => {
  // 6 encoder layers × (4·640·512 + 2·640·3072) + 6 decoder layers × (8·640·512 + 2·640·3072) ≈ 70.9M.
  const body = archParams(spaces.paper, largestArch(spaces.paper), 1, { includeEmbeddings: false });
  assert.ok(Math.abs(body - 70.9e6) < 0.1e6, `${body}`);
});
