import { test } from "node:test";
import assert from "node:assert/strict";
import {
  crossover,
  encodeArch,
  geneSpecs,
  isGeneActive,
  isValidArch,
  largestArch,
  mutate,
  resampleOneGene,
  resampleOneGeneWithKey,
  sampleArch,
  smallestArch,
  spaces,
} from "../../src/space";
import type { Arch, SearchSpace } from "../../src/space";
import { Rng } from "../../src/util/rng";
import { elasticSpace } from "./helpers";

const allSpaces: SearchSpace[] = [spaces.tiny, spaces.small, spaces.paper, elasticSpace];

/** Genes that differ between a and b, among genes active in both archs. */
function changedGenes(space: SearchSpace, a: Arch, b: Arch): string[] {
  const ga = encodeArch(space, a);
  const gb = encodeArch(space, b);
  return geneSpecs(space)
    .filter((s, i) => isGeneActive(s, a) && isGeneActive(s, b) && ga[i] !== gb[i])
    .map((s) => s.key);
}

test("mutate always gives a valid arch, deterministic under a seed (200 seeds)", () => {
  for (const space of allSpaces) {
    for (let seed = 0; seed < 200; seed++) {
      const rng = new Rng(seed);
      const parent = sampleArch(space, rng);
      const child = mutate(space, parent, rng, { prob: 0.5 });
      assert.ok(isValidArch(space, child), `${space.name} seed ${seed}`);
      const again = new Rng(seed);
      assert.deepEqual(mutate(space, sampleArch(space, again), again, { prob: 0.5 }), child);
    }
  }
});

test("mutate with prob 0 is the identity, with prob 1 resamples every gene", () => {
  const rng = new Rng(4);
  const arch = sampleArch(spaces.paper, rng);
  assert.deepEqual(mutate(spaces.paper, arch, rng, { prob: 0 }), arch);
  let changed = 0;
  for (let i = 0; i < 100; i++) changed += changedGenes(spaces.paper, arch, mutate(spaces.paper, arch, rng, { prob: 1 })).length;
  assert.ok(changed > 100 * 5, `${changed}`);
  // The default rate (0.3) changes about 0.3 × (1 - 1/k) of the genes: clearly fewer than prob 1.
  let few = 0;
  for (let i = 0; i < 100; i++) few += changedGenes(spaces.paper, arch, mutate(spaces.paper, arch, rng)).length;
  assert.ok(few < changed / 2, `${few} vs ${changed}`);
  assert.throws(() => mutate(spaces.paper, arch, rng, { prob: 1.5 }), /prob = 1.5 must be in \[0, 1\]/);
});

test("crossover always gives a valid arch whose genes come from a parent (200 seeds)", () => {
  for (const space of allSpaces) {
    const specs = geneSpecs(space);
    for (let seed = 0; seed < 200; seed++) {
      const rng = new Rng(seed);
      const a = sampleArch(space, rng);
      const b = sampleArch(space, rng);
      const child = crossover(space, a, b, rng);
      assert.ok(isValidArch(space, child), `${space.name} seed ${seed}`);
      const [ga, gb, gc] = [encodeArch(space, a), encodeArch(space, b), encodeArch(space, child)];
      specs.forEach((s, i) => {
        if (isGeneActive(s, child)) assert.ok(gc[i] === ga[i] || gc[i] === gb[i], `${s.key} seed ${seed}`);
      });
    }
  }
});

test("crossover with prob 0 gives a, with prob 1 gives b; inactive genes fill deeper children", () => {
  const rng = new Rng(8);
  const a = smallestArch(spaces.small);
  const b = largestArch(spaces.small);
  assert.deepEqual(crossover(spaces.small, a, b, rng, { prob: 0 }), a);
  assert.deepEqual(crossover(spaces.small, a, b, rng, { prob: 1 }), b);
  // A 3-layer child of a 1-layer parent a: layers 1 and 2 come from a's copies of its layer 0 or from b.
  for (let seed = 0; seed < 50; seed++) {
    const child = crossover(spaces.small, a, b, new Rng(seed));
    for (let i = 1; i < child.decoder!.numLayers; i++) {
      assert.ok([256, 1024].includes(child.decoder!.ffnDim[i]));
    }
  }
});

test("resampleOneGene changes exactly one active gene to a different value", () => {
  for (const space of allSpaces) {
    for (let seed = 0; seed < 200; seed++) {
      const rng = new Rng(seed);
      const arch = sampleArch(space, rng);
      const { arch: next, key } = resampleOneGeneWithKey(space, arch, rng);
      assert.ok(isValidArch(space, next));
      assert.deepEqual(changedGenes(space, arch, next), [key], `${space.name} seed ${seed}`);
      const spec = geneSpecs(space).find((s) => s.key === key)!;
      assert.ok(spec.choices.length > 1 && isGeneActive(spec, arch), key);
      assert.deepEqual(resampleOneGene(space, arch, new Rng(seed + 1000)), resampleOneGene(space, arch, new Rng(seed + 1000)));
    }
  }
});

test("resampleOneGene grows depth by copying the last layer and never picks single-choice genes", () => {
  const arch = smallestArch(spaces.small); // decoder depth 1
  const seen = new Set<string>();
  for (let seed = 0; seed < 300; seed++) {
    const { arch: next, key } = resampleOneGeneWithKey(spaces.small, arch, new Rng(seed));
    seen.add(key);
    if (key === "decoder.numLayers") {
      assert.ok(next.decoder!.numLayers > 1);
      assert.ok(next.decoder!.ffnDim.every((f) => f === arch.decoder!.ffnDim[0]));
    }
  }
  assert.ok(!seen.has("encoder.numLayers"), "encoder depth has one choice in small");
  assert.ok(![...seen].some((k) => /^decoder\..*\[[12]\]$/.test(k)), "inactive layers are never picked");
  const single: SearchSpace = {
    ...spaces.tiny,
    name: "single",
    encoder: { embedDim: [8], numLayers: [1], ffnDim: [8], numHeads: [2] },
    decoder: { embedDim: [8], numLayers: [1], ffnDim: [8], selfHeads: [2], crossHeads: [2], crossLayers: [1] },
  };
  assert.throws(() => resampleOneGene(single, smallestArch(single), new Rng(0)), /has a single arch/);
});
