import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeArch, encodeArch, geneSpecs, isGeneActive, sampleArch, spaces } from "../../src/space";
import { Rng } from "../../src/util/rng";
import { elasticSpace, smallArch } from "./helpers";

test("gene specs are derived from the space, in a fixed order", () => {
  const specs = geneSpecs(spaces.small);
  // encoder: embed, layers, 3 ffn, 3 heads; decoder: embed, layers, 3 × (ffn, self, cross, crossLayers)
  assert.equal(specs.length, 2 + 3 * 2 + 2 + 3 * 4);
  assert.deepEqual(
    specs.slice(0, 4).map((s) => s.key),
    ["encoder.embedDim", "encoder.numLayers", "encoder.ffnDim[0]", "encoder.ffnDim[1]"],
  );
  const d = specs.find((s) => s.key === "decoder.ffnDim[2]");
  assert.deepEqual(d, { key: "decoder.ffnDim[2]", choices: [256, 512, 1024], layer: 2, part: "decoder", field: "ffnDim" });
  assert.equal(specs.find((s) => s.key === "decoder.numLayers")?.layer, undefined);
  assert.equal(specs.filter((s) => s.field === "crossLayers").length, 3);
  assert.equal(geneSpecs(spaces.paper).length, 2 + 6 * 2 + 2 + 6 * 4);
  assert.equal(geneSpecs(spaces.small), specs, "cached per space");
});

test("encode gives choice indices and fills inactive layers with the last active layer", () => {
  const arch = { ...smallArch, decoder: { ...smallArch.decoder!, numLayers: 2, ffnDim: [1024, 512], selfHeads: [4, 2], crossHeads: [2, 4], crossLayers: [2, 1] } };
  const genes = encodeArch(spaces.small, arch);
  const byKey = new Map(geneSpecs(spaces.small).map((s, i) => [s.key, genes[i]]));
  assert.equal(byKey.get("encoder.embedDim"), 1); // 192
  assert.equal(byKey.get("decoder.numLayers"), 1); // 2 layers
  assert.equal(byKey.get("decoder.ffnDim[0]"), 2);
  assert.equal(byKey.get("decoder.ffnDim[1]"), 1);
  assert.equal(byKey.get("decoder.ffnDim[2]"), 1, "inactive layer copies layer 1");
  assert.equal(byKey.get("decoder.crossLayers[2]"), 0);
  assert.throws(() => encodeArch(spaces.small, { ...arch, decoder: { ...arch.decoder!, numLayers: 4 } }), /decoder\.numLayers = 4 is not allowed/);
});

test("decode(encode(arch)) is the arch, and encode(decode(genes)) is canonical", () => {
  for (const space of [spaces.tiny, spaces.small, spaces.paper, elasticSpace]) {
    const rng = new Rng(11);
    const specs = geneSpecs(space);
    for (let k = 0; k < 100; k++) {
      const arch = sampleArch(space, rng);
      const genes = encodeArch(space, arch);
      assert.deepEqual(decodeArch(space, genes), arch);
      // Any in-range gene vector decodes to a valid arch whose encoding agrees on active genes.
      const random = specs.map((s) => rng.int(s.choices.length));
      const decoded = decodeArch(space, random);
      const canonical = encodeArch(space, decoded);
      specs.forEach((s, i) => {
        if (isGeneActive(s, decoded)) assert.equal(canonical[i], random[i], s.key);
      });
      assert.deepEqual(encodeArch(space, decodeArch(space, canonical)), canonical);
    }
  }
});

test("decode truncates per-layer genes to numLayers and rejects bad vectors", () => {
  const specs = geneSpecs(spaces.tiny);
  const genes = specs.map((s) => s.choices.length - 1);
  genes[specs.findIndex((s) => s.key === "decoder.numLayers")] = 0;
  const arch = decodeArch(spaces.tiny, genes);
  assert.equal(arch.decoder!.numLayers, 1);
  assert.deepEqual(arch.decoder!.ffnDim, [128]);
  assert.deepEqual(arch.decoder!.crossLayers, [2]);
  assert.throws(() => decodeArch(spaces.tiny, genes.slice(1)), /expected 16 genes for space "tiny", got 15/);
  const bad = genes.slice();
  bad[2] = 3;
  assert.throws(() => decodeArch(spaces.tiny, bad), /gene encoder\.ffnDim\[0\] = 3 is not an index in 0\.\.2/);
  bad[2] = 0.5;
  assert.throws(() => decodeArch(spaces.tiny, bad), /is not an index/);
});
