import { test } from "node:test";
import assert from "node:assert/strict";
import { archEquals, archFromKey, archKey, isValidArch, largestArch, sampleArch, smallestArch, spaces } from "../../src/space";
import { Rng } from "../../src/util/rng";
import { smallArch } from "./helpers";

test("largest and smallest take every maximum and every minimum", () => {
  assert.deepEqual(largestArch(spaces.small), {
    encoder: { embedDim: 256, numLayers: 3, ffnDim: [1024, 1024, 1024], numHeads: [4, 4, 4] },
    decoder: { embedDim: 256, numLayers: 3, ffnDim: [1024, 1024, 1024], selfHeads: [4, 4, 4], crossHeads: [4, 4, 4], crossLayers: [2, 2, 2] },
  });
  assert.deepEqual(smallestArch(spaces.small), {
    encoder: { embedDim: 128, numLayers: 3, ffnDim: [256, 256, 256], numHeads: [2, 2, 2] },
    decoder: { embedDim: 128, numLayers: 1, ffnDim: [256], selfHeads: [2], crossHeads: [2], crossLayers: [1] },
  });
  for (const space of Object.values(spaces)) {
    assert.ok(isValidArch(space, largestArch(space)) && isValidArch(space, smallestArch(space)));
  }
});

test("archKey is compact, stable and parses back", () => {
  assert.equal(
    archKey(smallestArch(spaces.small)),
    "e128x3[256,256,256|2,2,2]-d128x1[256|2|2|1]",
  );
  assert.equal(archKey(smallArch), "e192x3[512,256,1024|4,2,4]-d256x3[256,512,256|2,4,4|4,4,2|1,2,2]");
  const rng = new Rng(3);
  for (let i = 0; i < 50; i++) {
    const a = sampleArch(spaces.paper, rng);
    assert.deepEqual(archFromKey(archKey(a), spaces.paper), a);
  }
  assert.throws(() => archFromKey("e1x1", spaces.small), /is not an arch key/);
  assert.throws(() => archFromKey(archKey(smallArch), spaces.tiny), /encoder\.embedDim = 192 is not allowed/);
});

test("archEquals compares the subnet only", () => {
  const copy = JSON.parse(JSON.stringify(smallArch));
  assert.ok(archEquals(smallArch, copy));
  assert.ok(archEquals(smallArch, { ...copy, numExperts: [2, 2, 2] } as typeof copy));
  assert.ok(!archEquals(smallArch, { ...copy, decoder: { ...copy.decoder, crossLayers: [1, 1, 2] } }));
  assert.ok(!archEquals(largestArch(spaces.small), smallestArch(spaces.small)));
});
