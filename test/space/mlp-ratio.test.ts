/**
 * AutoDistil's MLP ratio: the gene is the ratio, the arch carries ffnDim = ratio × embedDim (what
 * the model reads), and everything that reads ffnDim choices sees the widths that can arise.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  archFeatures, archFromJSON, archFromKey, archKey, crossover, decodeArch, defineSpace, differingOperators, encodeArch, featureNorms, geneSpecs, largestArch,
  mutate, resampleOneGene, sampleArch, smallestArch, validateArch,
} from "../../src/space/index";
import type { Arch } from "../../src/space/index";
import { singletonSpace } from "../../src/supernet/index";
import { Rng } from "../../src/util/rng";

// Heterogeneous on purpose: the ratio works per layer too; homogeneity is a separate flag.
const space = defineSpace({
  name: "ratio",
  encoder: { embedDim: [16, 24], numLayers: [1, 2, 3], mlpRatio: [2, 2.5, 4], numHeads: [2, 4] },
  qkvDim: 16,
});

test("defineSpace derives ffnDim from mlpRatio × embedDim; the genes hold the ratio in ffnDim's place", () => {
  assert.deepEqual(space.encoder.ffnDim, [32, 40, 48, 60, 64, 96]);
  assert.deepEqual(space.encoder.mlpRatio, [2, 2.5, 4]);
  assert.deepEqual(
    geneSpecs(space).map((s) => s.key),
    ["encoder.embedDim", "encoder.numLayers", "encoder.mlpRatio[0]", "encoder.mlpRatio[1]", "encoder.mlpRatio[2]", "encoder.numHeads[0]", "encoder.numHeads[1]", "encoder.numHeads[2]"],
  );
  assert.deepEqual(largestArch(space).encoder, { embedDim: 24, numLayers: 3, ffnDim: [96, 96, 96], mlpRatio: [4, 4, 4], numHeads: [4, 4, 4] });
  assert.deepEqual(smallestArch(space).encoder, { embedDim: 16, numLayers: 1, ffnDim: [32], mlpRatio: [2], numHeads: [2] });
  // A listed ffnDim must be exactly the derived one.
  assert.throws(() => defineSpace({ ...space, name: "listed", encoder: { ...space.encoder, ffnDim: [32, 64] } }), /encoder\.ffnDim = \[32,64\] must list exactly the widths mlpRatio × embedDim can take, \[32,40,48,60,64,96\]/);
  defineSpace({ ...space, name: "listed-right" });
});

test("a ratio whose product with a hidden size is not an integer is an error naming both", () => {
  assert.throws(
    () => defineSpace({ name: "odd", encoder: { embedDim: [16, 17], numLayers: [1], mlpRatio: [2, 2.5], numHeads: [1] }, qkvDim: 16 }),
    /encoder\.mlpRatio 2\.5 × embedDim 17 = 42\.5 is not an integer FFN width/,
  );
  assert.throws(() => defineSpace({ name: "neg", encoder: { embedDim: [16], numLayers: [1], mlpRatio: [-1, 2], numHeads: [1] }, qkvDim: 16 }), /encoder\.mlpRatio = \[-1,2\] must hold positive numbers/);
  // Floating-point noise is not a fractional width: 2.3 × 100 is 229.99999999999997 in doubles.
  const noisy = defineSpace({ name: "noisy", encoder: { embedDim: [100], numLayers: [1], mlpRatio: [2.3], numHeads: [1] }, qkvDim: 16 });
  assert.deepEqual(largestArch(noisy).encoder.ffnDim, [230]);
});

test("an arch's ffnDim must equal its ratio × embedDim, and its ratio must be a choice", () => {
  const arch: Arch = { encoder: { embedDim: 16, numLayers: 2, ffnDim: [40, 64], mlpRatio: [2.5, 4], numHeads: [2, 4] } };
  validateArch(space, arch);
  assert.throws(() => validateArch(space, { encoder: { ...arch.encoder, ffnDim: [40, 32] } }), /encoder\.ffnDim\[1\] = 32 must equal encoder\.mlpRatio\[1\] × embedDim = 4 × 16 = 64/);
  assert.throws(() => validateArch(space, { encoder: { ...arch.encoder, mlpRatio: [2.5, 3] } }), /encoder\.mlpRatio\[1\] = 3 is not allowed; allowed: 2, 2\.5, 4/);
  assert.throws(() => validateArch(space, { encoder: { embedDim: 16, numLayers: 2, ffnDim: [40, 64], numHeads: [2, 4] } }), /encoder\.mlpRatio must be an array/);
});

test("samples, genes, keys, JSON, mutation and crossover keep ffnDim = ratio × embedDim", () => {
  const rng = new Rng(5);
  for (let i = 0; i < 30; i++) {
    const a = sampleArch(space, rng);
    const b = sampleArch(space, rng);
    for (const arch of [a, mutate(space, a, rng), crossover(space, a, b, rng), resampleOneGene(space, a, rng)]) {
      validateArch(space, arch);
      arch.encoder.ffnDim.forEach((f, l) => assert.equal(f, (arch.encoder.mlpRatio as number[])[l] * arch.encoder.embedDim));
      assert.deepEqual(decodeArch(space, encodeArch(space, arch)), arch);
      assert.deepEqual(archFromKey(archKey(arch), space), arch);
      assert.deepEqual(archFromJSON(JSON.stringify(arch), space), arch);
    }
  }
  assert.equal(archKey(largestArch(space)), "e24x3[96,96,96|4,4,4|4,4,4]");
});

test("features read ffnDim against the widest derived width; differing operators count the ratio, not the derived width", () => {
  assert.deepEqual(featureNorms(space), [24, 3, 96, 4]);
  assert.deepEqual(archFeatures(space, largestArch(space)), [1, 1, 1, 1]);
  const a: Arch = { encoder: { embedDim: 16, numLayers: 2, ffnDim: [40, 64], mlpRatio: [2.5, 4], numHeads: [2, 4] } };
  const wider: Arch = { encoder: { embedDim: 24, numLayers: 2, ffnDim: [60, 96], mlpRatio: [2.5, 4], numHeads: [2, 4] } };
  assert.deepEqual(differingOperators(a, wider).operators, ["encoder.embedding"]);
  const ratio: Arch = { encoder: { embedDim: 16, numLayers: 2, ffnDim: [40, 32], mlpRatio: [2.5, 2], numHeads: [2, 4] } };
  assert.deepEqual(differingOperators(a, ratio).operators, ["encoder.layer[1].ffn"]);
});

test("the standalone space of an arch keeps its ratio and derives the same ffnDim", () => {
  const arch: Arch = { encoder: { embedDim: 24, numLayers: 2, ffnDim: [48, 96], mlpRatio: [2, 4], numHeads: [2, 2] } };
  const single = singletonSpace(arch, space);
  assert.deepEqual(single.encoder, { embedDim: [24], numLayers: [2], ffnDim: [48, 96], mlpRatio: [2, 4], numHeads: [2] });
  validateArch(single, arch);
});
