/**
 * Homogeneous spaces (AutoDistil's sub-spaces): every per-layer dimension takes one value for
 * all layers, with one gene per dimension, so every derived operation keeps archs homogeneous.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  archFromJSON, archFromKey, archKey, crossover, decodeArch, defineSpace, encodeArch, geneSpecs, isGeneActive, largestArch, mutate,
  resampleOneGeneWithKey, sampleArch, smallestArch, validateArch,
} from "../../src/space/index";
import type { Arch, SearchSpace } from "../../src/space/index";
import { Rng } from "../../src/util/rng";

const homogeneous = defineSpace({
  name: "homo",
  encoder: { embedDim: [16, 32], numLayers: [2, 3, 4], ffnDim: [32, 48, 64], numHeads: [2, 4] },
  qkvDim: 32,
  homogeneous: true,
});
const seq2seq = defineSpace({
  name: "homo-seq2seq",
  encoder: { embedDim: [16, 32], numLayers: [2, 3], ffnDim: [32, 64], numHeads: [2, 4] },
  decoder: { embedDim: [16, 32], numLayers: [1, 2, 3], ffnDim: [32, 64], selfHeads: [2, 4], crossHeads: [2, 4], crossLayers: [1, 2] },
  qkvDim: 32,
  homogeneous: true,
});

/** Whether every per-layer list of the arch holds one value. */
function isHomogeneousArch(arch: Arch): boolean {
  return [arch.encoder, arch.decoder].every((p) => p === undefined || Object.values(p).every((v) => !Array.isArray(v) || v.every((x) => x === v[0])));
}

test("a homogeneous space has one gene per per-layer dimension, keyed [*] and always active", () => {
  assert.deepEqual(geneSpecs(homogeneous).map((s) => s.key), ["encoder.embedDim", "encoder.numLayers", "encoder.ffnDim[*]", "encoder.numHeads[*]"]);
  assert.deepEqual(
    geneSpecs(seq2seq).map((s) => s.key),
    ["encoder.embedDim", "encoder.numLayers", "encoder.ffnDim[*]", "encoder.numHeads[*]", "decoder.embedDim", "decoder.numLayers", "decoder.ffnDim[*]", "decoder.selfHeads[*]", "decoder.crossHeads[*]", "decoder.crossLayers[*]"],
  );
  const shallow = smallestArch(homogeneous);
  for (const spec of geneSpecs(homogeneous)) assert.ok(isGeneActive(spec, shallow), spec.key);
  assert.equal(geneSpecs(homogeneous)[2].allLayers, true);
  assert.equal(geneSpecs(homogeneous)[2].layer, undefined);
});

test("samples, corners, genes, keys and JSON of a homogeneous space round-trip and stay homogeneous", () => {
  const rng = new Rng(3);
  for (const space of [homogeneous, seq2seq] as SearchSpace[]) {
    const archs = [largestArch(space), smallestArch(space), ...Array.from({ length: 20 }, () => sampleArch(space, rng))];
    for (const arch of archs) {
      assert.ok(isHomogeneousArch(arch), archKey(arch));
      validateArch(space, arch);
      assert.deepEqual(decodeArch(space, encodeArch(space, arch)), arch);
      assert.deepEqual(archFromKey(archKey(arch), space), arch);
      assert.deepEqual(archFromJSON(JSON.stringify(arch), space), arch);
    }
    // Per-layer values are not all the same value across samples: the one gene is really drawn.
    const heads = new Set(archs.map((a) => a.encoder.numHeads[0]));
    assert.equal(heads.size, 2);
  }
  assert.deepEqual(largestArch(homogeneous).encoder, { embedDim: 32, numLayers: 4, ffnDim: [64, 64, 64, 64], numHeads: [4, 4, 4, 4] });
});

test("mutation, crossover and a one-gene change move all layers together", () => {
  const rng = new Rng(11);
  let changedAll = 0;
  for (let i = 0; i < 40; i++) {
    const a = sampleArch(seq2seq, rng);
    const b = sampleArch(seq2seq, rng);
    for (const child of [mutate(seq2seq, a, rng, { prob: 0.5 }), crossover(seq2seq, a, b, rng)]) {
      assert.ok(isHomogeneousArch(child), archKey(child));
      validateArch(seq2seq, child);
    }
    const { arch, key } = resampleOneGeneWithKey(seq2seq, a, rng);
    assert.ok(isHomogeneousArch(arch));
    const m = /^(encoder|decoder)\.(\w+)\[\*\]$/.exec(key);
    if (m) {
      const before = (a[m[1] as "encoder"] as unknown as Record<string, number[]>)[m[2]];
      const after = (arch[m[1] as "encoder"] as unknown as Record<string, number[]>)[m[2]];
      assert.ok(after.every((v, l) => v !== before[l]), `${key}: every layer changes (${before} -> ${after})`);
      changedAll++;
    }
  }
  assert.ok(changedAll > 0, "some one-gene changes hit a per-layer gene");
});

test("a heterogeneous arch is rejected by a homogeneous space, naming the field, the layers and the values", () => {
  const arch = { encoder: { embedDim: 32, numLayers: 3, ffnDim: [64, 64, 64], numHeads: [4, 2, 4] } };
  assert.throws(
    () => validateArch(homogeneous, arch),
    /encoder\.numHeads = \[4, 2, 4\] differs across layers \(layer 0 has 4, layer 1 has 2\); space "homo" is homogeneous/,
  );
  assert.throws(() => encodeArch(homogeneous, arch), /encoder\.numHeads = \[4, 2, 4\] differs across layers/);
  // The same arch is fine in the heterogeneous twin.
  validateArch(defineSpace({ ...homogeneous, name: "hetero", homogeneous: false }), arch);
});

test("validateSpace checks the homogeneous flag: a boolean, and dense spaces only", () => {
  assert.throws(() => defineSpace({ ...homogeneous, name: "bad", homogeneous: "yes" as never }), /homogeneous = yes must be true, false or absent/);
  assert.throws(
    () => defineSpace({ ...homogeneous, name: "moe", encoder: { ...homogeneous.encoder, numExperts: [1, 2], topK: [1], expertFfnDim: [32] } }),
    /homogeneous is set, but space "moe" has mixture-of-experts dimensions/,
  );
  assert.equal(Object.isFrozen(homogeneous), true);
  assert.equal(homogeneous.homogeneous, true);
});
