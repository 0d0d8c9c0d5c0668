/**
 * A space declared with AutoMoE's dimensions (experts per layer, per-expert FFN widths, top-k)
 * gets validation, genes, keys, JSON, sampling, evolution operators, features, differing
 * operators, extraction spaces and the operator catalogue from the schema, with no other code.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  archFeatureNames, archFeatures, archFromJSON, archFromKey, archKey, crossover, decodeArch, defineSpace, differingOperators, encodeArch, geneSpecs,
  isGeneActive, isValidArch, largestArch, mutate, sampleArch, smallestArch, validateArch, archParams, archFlops, archSparsity,
} from "../../src/space/index";
import type { Arch } from "../../src/space/index";
import { operatorCatalog } from "../../src/interference/index";
import { singletonSpace } from "../../src/supernet/index";
import { Rng } from "../../src/util/rng";

const moeSpace = defineSpace({
  name: "moe-test",
  encoder: { embedDim: [32, 64], numLayers: [2], ffnDim: [64, 128], numHeads: [2, 4], numExperts: [1, 2, 3], topK: [1, 2], expertFfnDim: [32, 64, 128] },
  decoder: { embedDim: [32, 64], numLayers: [1, 2], ffnDim: [64, 128], selfHeads: [2, 4], crossHeads: [2, 4], crossLayers: [1, 2] },
  qkvDim: 64,
});

const arch: Arch = {
  encoder: { embedDim: 64, numLayers: 2, ffnDim: [128, 64], numHeads: [4, 2], numExperts: [3, 1], topK: [2, 1], expertFfnDim: [[32, 128], []] },
  decoder: { embedDim: 32, numLayers: 1, ffnDim: [64], selfHeads: [2], crossHeads: [4], crossLayers: [2] },
};

test("an MoE arch is validated field by field, with the expert list checked against numExperts", () => {
  validateArch(moeSpace, arch);
  const bad = JSON.parse(JSON.stringify(arch));
  bad.encoder.expertFfnDim[0] = [32];
  bad.encoder.numExperts[1] = 4;
  assert.throws(() => validateArch(moeSpace, bad), /encoder\.numExperts\[1\] = 4 is not allowed; allowed: 1, 2, 3[\s\S]*encoder\.expertFfnDim\[0\] has 1 entries, expected numExperts\[0\] - 1 = 2/);
  const missing = JSON.parse(JSON.stringify(arch));
  delete missing.encoder.topK;
  assert.throws(() => validateArch(moeSpace, missing), /encoder\.topK must be an array/);
  assert.throws(() => defineSpace({ ...moeSpace, name: "half", encoder: { ...moeSpace.encoder, topK: undefined } } as never), /encoder declares numExperts, expertFfnDim but not topK/);
  assert.throws(() => defineSpace({ ...moeSpace, name: "typo", encoder: { ...moeSpace.encoder, numExpert: [1] } } as never), /encoder has unknown field\(s\) numExpert/);
});

test("genes cover every expert slot; inactive experts are copies; encode and decode round-trip", () => {
  const specs = geneSpecs(moeSpace);
  // encoder: 2 scalars + 4 per-layer fields x 2 layers + expert widths 2 layers x 2 slots; decoder: 2 + 4 x 2.
  assert.equal(specs.length, 2 + 4 * 2 + 2 * 2 + 2 + 4 * 2);
  assert.deepEqual(specs.filter((s) => s.field === "expertFfnDim").map((s) => s.key), ["encoder.expertFfnDim[0][1]", "encoder.expertFfnDim[0][2]", "encoder.expertFfnDim[1][1]", "encoder.expertFfnDim[1][2]"]);
  assert.deepEqual(specs.filter((s) => s.field === "expertFfnDim").map((s) => isGeneActive(s, arch)), [true, true, false, false]);
  assert.deepEqual(decodeArch(moeSpace, encodeArch(moeSpace, arch)), arch);
});

test("keys and JSON round-trip an MoE arch; dense archs keep their key format", () => {
  assert.equal(archKey(arch), "e64x2[128,64|4,2|3,1|2,1|32/128,]-d32x1[64|2|4|2]");
  assert.deepEqual(archFromKey(archKey(arch), moeSpace), arch);
  assert.deepEqual(archFromJSON(JSON.stringify(arch), moeSpace), arch);
  assert.throws(() => archFromJSON({ ...arch, encoder: { ...arch.encoder, experts: [1, 1] } }, moeSpace), /unknown field\(s\) encoder\.experts/);
  const dense = { encoder: { embedDim: 64, numLayers: 2, ffnDim: [128, 64], numHeads: [4, 2] }, decoder: arch.decoder };
  assert.equal(archKey(dense), "e64x2[128,64|4,2]-d32x1[64|2|4|2]");
});

test("sampling, mutation and crossover always give valid MoE archs, and reach multi-expert layers", () => {
  const rng = new Rng(11);
  let multi = 0;
  let prev = sampleArch(moeSpace, rng);
  for (let i = 0; i < 300; i++) {
    const a = sampleArch(moeSpace, rng);
    const m = mutate(moeSpace, a, rng, { prob: 0.5 });
    const c = crossover(moeSpace, a, prev, rng);
    for (const x of [a, m, c]) assert.ok(isValidArch(moeSpace, x), archKey(x));
    multi += (m.encoder.numExperts as number[]).filter((n) => n > 1).length;
    prev = m;
  }
  assert.ok(multi > 100, `mutants with multi-expert layers: ${multi}`);
  assert.deepEqual(largestArch(moeSpace).encoder.expertFfnDim, [[128, 128], [128, 128]]);
  assert.deepEqual(smallestArch(moeSpace).encoder.expertFfnDim, [[], []]);
});

test("features gain the expert ones; a changed expert counts as a changed ffn operator; the catalogue lists expert weights", () => {
  assert.equal(archFeatureNames(moeSpace).length, 16);
  assert.deepEqual(archFeatures(moeSpace, largestArch(moeSpace)), new Array(16).fill(1));
  const f = archFeatures(moeSpace, arch);
  assert.ok(Math.abs(f[10] - 2 / 3) < 1e-12, "mean encoder experts (3 + 1) / 2 over max 3");
  assert.ok(Math.abs(f[12] - ((128 + 32 + 128) / 3 + 64) / 2 / 128) < 1e-12, "mean of per-layer mean expert widths");
  const changed = JSON.parse(JSON.stringify(arch));
  changed.encoder.expertFfnDim[0][1] = 64;
  assert.deepEqual(differingOperators(arch, changed).operators, ["encoder.layer[0].ffn"]);
  const ffn = operatorCatalog(moeSpace).find((o) => o.name === "encoder.layer[0].ffn");
  assert.ok(ffn?.weights.includes("enc.0.experts.2.fc1.w") && ffn.weights.includes("enc.0.router.w"));
  assert.equal(operatorCatalog(moeSpace).find((o) => o.name === "decoder.layer[0].ffn")?.weights.length, 4, "a dense decoder keeps its plain FFN");
  const single = singletonSpace(arch, 64);
  assert.deepEqual(single.encoder.numExperts, [1, 3]);
  assert.ok(isValidArch(single, arch));
});

test("accounting: 1-expert layers cost what dense layers do; experts add total, not active, parameters; FLOPs count routed experts", () => {
  const denseSpace = defineSpace({ ...moeSpace, name: "dense-twin", encoder: { embedDim: [32, 64], numLayers: [2], ffnDim: [64, 128], numHeads: [2, 4] } });
  const dense: Arch = { encoder: { embedDim: 64, numLayers: 2, ffnDim: [128, 64], numHeads: [4, 2] }, decoder: arch.decoder };
  const oneExpert: Arch = { ...dense, encoder: { ...dense.encoder, numExperts: [1, 1], topK: [2, 1], expertFfnDim: [[], []] } };
  const flops = (s: typeof moeSpace, a: Arch) => archFlops(s, a, { srcLen: 30, tgtLen: 30, includeEmbeddings: false });
  assert.equal(archParams(moeSpace, oneExpert, 0, { includeEmbeddings: false }), archParams(denseSpace, dense, 0, { includeEmbeddings: false }));
  assert.equal(flops(moeSpace, oneExpert), flops(denseSpace, dense));
  assert.deepEqual(archSparsity(moeSpace, oneExpert).sparsity, 0);
  // Layer 0 of `arch`: d 64, experts of widths 128, 32, 128, top-2; one FFN of width f holds 2·64·f + f + 64.
  const ffn = (f: number) => 2 * 64 * f + f + 64;
  const router = 64 * 3 + 3;
  const totalDelta = archParams(moeSpace, arch, 0, { includeEmbeddings: false }) - archParams(denseSpace, dense, 0, { includeEmbeddings: false });
  assert.equal(totalDelta, router + ffn(32) + ffn(128));
  const activeDelta = archParams(moeSpace, arch, 0, { includeEmbeddings: false, active: true }) - archParams(denseSpace, dense, 0, { includeEmbeddings: false });
  assert.ok(Math.abs(activeDelta - (router + (2 * (ffn(128) + ffn(32) + ffn(128))) / 3 - ffn(128))) < 1e-6);
  const s = archSparsity(moeSpace, arch);
  assert.ok(s.sparsity > 0 && s.activeParams < s.totalParams);
  // Routed FLOPs: router 30·64·3 plus 30 tokens × 2 experts × 2·64·mean width (96), instead of 30·2·64·128.
  assert.equal(flops(moeSpace, arch) - flops(denseSpace, dense), 2 * (30 * 64 * 3 + 30 * 2 * 2 * 64 * 96 - 30 * 2 * 64 * 128));
});
