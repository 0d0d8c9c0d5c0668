import { test } from "node:test";
import assert from "node:assert/strict";
import {
  archKey,
  fixedSampler,
  isValidArch,
  largestArch,
  makeSampler,
  registerSampler,
  sampleArch,
  samplerNames,
  sandwichSampler,
  smallestArch,
  spaces,
  uniformSampler,
} from "../../src/space";
import type { ArchSampler } from "../../src/space";
import { Rng } from "../../src/util/rng";
import { elasticSpace, smallArch } from "./helpers";

const keys = (sampler: ArchSampler, seed: number, updates: number): string[][] => {
  const rng = new Rng(seed);
  return Array.from({ length: updates }, () => sampler.next(rng).map(archKey));
};

test("uniform gives one valid arch per update, deterministic under a seed", () => {
  const sampler = uniformSampler(spaces.small);
  assert.equal(sampler.name, "uniform");
  const a = keys(sampler, 42, 20);
  assert.deepEqual(a, keys(uniformSampler(spaces.small), 42, 20));
  assert.notDeepEqual(a, keys(sampler, 43, 20));
  assert.ok(a.every((u) => u.length === 1));
  const rng = new Rng(1);
  for (let i = 0; i < 200; i++) assert.ok(isValidArch(elasticSpace, sampleArch(elasticSpace, rng)));
});

test("uniform covers every choice with roughly equal frequency", () => {
  const rng = new Rng(9);
  const n = 6000;
  const depth = new Map<number, number>();
  const ffn = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const a = sampleArch(spaces.paper, rng);
    depth.set(a.decoder!.numLayers, (depth.get(a.decoder!.numLayers) ?? 0) + 1);
    const f = a.decoder!.ffnDim[0];
    ffn.set(f, (ffn.get(f) ?? 0) + 1);
  }
  assert.deepEqual([...depth.keys()].sort(), [1, 2, 3, 4, 5, 6]);
  for (const c of depth.values()) assert.ok(Math.abs(c - n / 6) < 0.15 * (n / 6), `depth count ${c}`);
  for (const c of ffn.values()) assert.ok(Math.abs(c - n / 3) < 0.1 * (n / 3), `ffn count ${c}`);
});

test("sandwich gives largest, smallest, then numRandom random archs", () => {
  const s = sandwichSampler(spaces.tiny);
  const rng = new Rng(2);
  const update = s.next(rng);
  assert.equal(update.length, 3);
  assert.deepEqual(update[0], largestArch(spaces.tiny));
  assert.deepEqual(update[1], smallestArch(spaces.tiny));
  assert.equal(sandwichSampler(spaces.tiny, { numRandom: 3 }).next(rng).length, 5);
  assert.equal(sandwichSampler(spaces.tiny, { numRandom: 0 }).next(rng).length, 2);
  assert.deepEqual(keys(s, 5, 10), keys(sandwichSampler(spaces.tiny), 5, 10));
  assert.throws(() => sandwichSampler(spaces.tiny, { numRandom: -1 }), /numRandom = -1/);
});

test("fixed gives the same archs every update and validates them", () => {
  const s = fixedSampler([smallArch], spaces.small);
  const rng = new Rng(0);
  const first = s.next(rng);
  first.pop(); // callers may mutate the returned list without affecting the sampler
  assert.deepEqual(s.next(rng), [smallArch]);
  assert.throws(() => fixedSampler([]), /archs is empty/);
  assert.throws(() => fixedSampler([smallArch], spaces.tiny), /not allowed/);
});

test("the registry builds samplers by name, lists names and accepts new ones", () => {
  assert.deepEqual(samplerNames().slice(0, 3), ["uniform", "sandwich", "fixed"]);
  assert.equal(makeSampler("uniform", spaces.tiny).name, "uniform");
  assert.equal(makeSampler("sandwich", spaces.tiny, { numRandom: 2 }).next(new Rng(1)).length, 4);
  assert.equal(makeSampler("sandwich", spaces.tiny).next(new Rng(1)).length, 3);
  assert.deepEqual(makeSampler("fixed", spaces.small, { archs: [smallArch] }).next(new Rng(1)), [smallArch]);
  assert.throws(() => makeSampler("fixed", spaces.small), /options\.archs is required/);
  assert.throws(() => makeSampler("magic-x", spaces.tiny), /unknown sampler "magic-x"; known: uniform, sandwich, fixed/);

  registerSampler("test-alternate", (space, options) => {
    let flip = false;
    const period = (options.period as number) ?? 1;
    let calls = 0;
    return {
      name: "test-alternate",
      next: () => {
        if (calls++ % period === 0) flip = !flip;
        return [flip ? largestArch(space) : smallestArch(space)];
      },
    };
  });
  assert.ok(samplerNames().includes("test-alternate"));
  const alt = makeSampler("test-alternate", spaces.tiny, { period: 1 });
  assert.deepEqual([alt.next(new Rng(0))[0], alt.next(new Rng(0))[0]], [largestArch(spaces.tiny), smallestArch(spaces.tiny)]);
  assert.throws(() => registerSampler("uniform", () => alt), /already registered; pass \{ replace: true \}/);
  registerSampler("test-alternate", () => alt, { replace: true });
});
