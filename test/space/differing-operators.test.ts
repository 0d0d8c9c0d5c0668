import { test } from "node:test";
import assert from "node:assert/strict";
import { differingOperators, largestArch, smallestArch, spaces } from "../../src/space";
import type { Arch } from "../../src/space";
import { smallArch } from "./helpers";

const edit = (change: (a: any) => void): Arch => {
  const copy = JSON.parse(JSON.stringify(smallArch));
  change(copy);
  return copy;
};

test("identical archs differ in no operator", () => {
  assert.deepEqual(differingOperators(smallArch, edit(() => {})), { count: 0, operators: [] });
});

test("one changed setting is one operator", () => {
  assert.deepEqual(differingOperators(smallArch, edit((a) => (a.encoder.embedDim = 256))).operators, ["encoder.embedding"]);
  assert.deepEqual(differingOperators(smallArch, edit((a) => (a.encoder.numHeads[1] = 4))).operators, ["encoder.layer[1].selfAttn"]);
  assert.deepEqual(differingOperators(smallArch, edit((a) => (a.decoder.ffnDim[2] = 1024))).operators, ["decoder.layer[2].ffn"]);
  assert.deepEqual(differingOperators(smallArch, edit((a) => (a.decoder.crossLayers[0] = 2))).operators, ["decoder.layer[0].crossAttn"]);
  // Cross heads and crossLayers belong to the same operator: changing both still counts once.
  const both = differingOperators(smallArch, edit((a) => ((a.decoder.crossHeads[0] = 2), (a.decoder.crossLayers[0] = 2))));
  assert.deepEqual(both, { count: 1, operators: ["decoder.layer[0].crossAttn"] });
});

test("a layer present in one arch only counts all its operators", () => {
  const shallower = edit((a) => {
    a.decoder.numLayers = 2;
    for (const f of ["ffnDim", "selfHeads", "crossHeads", "crossLayers"]) a.decoder[f].pop();
  });
  const d = differingOperators(smallArch, shallower);
  assert.deepEqual(d.operators, ["decoder.layer[2].selfAttn", "decoder.layer[2].crossAttn", "decoder.layer[2].ffn"]);
  assert.deepEqual(differingOperators(shallower, smallArch), d, "symmetric");
});

test("largest vs smallest of small: every operator differs", () => {
  // 2 embeddings + 3 encoder layers × 2 + 3 decoder layers × 3 (two present in the largest only).
  const d = differingOperators(largestArch(spaces.small), smallestArch(spaces.small));
  assert.equal(d.count, 2 + 6 + 9);
  assert.equal(d.operators[0], "encoder.embedding");
  assert.equal(d.operators[7], "decoder.embedding");
});
