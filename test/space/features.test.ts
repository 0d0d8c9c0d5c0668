import { test } from "node:test";
import assert from "node:assert/strict";
import { archFeatureNames, archFeatures, featureNames, featureNorms, hatFeatureNorms, largestArch, sampleArch, smallestArch, spaces } from "../../src/space";
import { Rng } from "../../src/util/rng";
import { smallArch } from "./helpers";

test("feature names and norms follow HAT's 10-number layout", () => {
  assert.equal(featureNames.length, 10);
  assert.equal(featureNames[9], "meanCrossLayers");
  assert.deepEqual(featureNorms(spaces.paper), [640, 6, 3072, 8, 640, 6, 3072, 8, 8, 3]);
  assert.deepEqual(featureNorms(spaces.small), [256, 3, 1024, 4, 256, 3, 1024, 4, 4, 2]);
});

test("features are means over active layers divided by the norms", () => {
  const f = archFeatures(spaces.small, smallArch);
  const expected = [
    192 / 256,
    3 / 3,
    (512 + 256 + 1024) / 3 / 1024,
    (4 + 2 + 4) / 3 / 4,
    256 / 256,
    3 / 3,
    (256 + 512 + 256) / 3 / 1024,
    (2 + 4 + 4) / 3 / 4,
    (4 + 4 + 2) / 3 / 4,
    (1 + 2 + 2) / 3 / 2,
  ];
  f.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-12, featureNames[i]));
});

test("features lie in (0, 1] and equal 1 for the largest arch", () => {
  for (const space of Object.values(spaces)) {
    assert.deepEqual(archFeatures(space, largestArch(space)), new Array(archFeatureNames(space).length).fill(1));
    const rng = new Rng(5);
    for (const arch of [smallestArch(space), ...Array.from({ length: 50 }, () => sampleArch(space, rng))]) {
      for (const x of archFeatures(space, arch)) assert.ok(x > 0 && x <= 1, `${x}`);
    }
  }
  assert.throws(() => archFeatures(spaces.tiny, smallArch), /not allowed/);
});

test("HAT's own norms can be passed to reproduce its predictor inputs", () => {
  const f = archFeatures(spaces.paper, largestArch(spaces.paper), hatFeatureNorms);
  assert.deepEqual(f, [1, 1, 3072 / 2048, 8 / 6, 1, 1, 3072 / 2048, 8 / 6, 8 / 6, 3 / 2]);
  assert.throws(() => archFeatures(spaces.paper, largestArch(spaces.paper), [1, 2]), /norms has 2 entries, expected 10/);
});
