import { test } from "node:test";
import assert from "node:assert/strict";
import { defineSpace, getSpace, spaceNames, spaceProblems, spaces, validateSpace } from "../../src/space";
import type { SearchSpace } from "../../src/space";
import { elasticSpace } from "./helpers";

test("presets are valid, frozen and reachable by name", () => {
  assert.deepEqual(spaceNames, ["tiny", "small", "paper", "tiny-moe", "small-moe", "paper-moe"]);
  for (const name of spaceNames) {
    const space = getSpace(name);
    assert.equal(space, spaces[name]);
    assert.equal(space.name, name);
    assert.deepEqual(spaceProblems(space), []);
    assert.ok(Object.isFrozen(space) && Object.isFrozen(space.decoder.ffnDim));
  }
});

test("paper is HAT's WMT'14 En-De space0, in ascending order", () => {
  const p = spaces.paper;
  assert.deepEqual(p.encoder, { embedDim: [512, 640], numLayers: [6], ffnDim: [1024, 2048, 3072], numHeads: [4, 8] });
  assert.deepEqual(p.decoder, {
    embedDim: [512, 640],
    numLayers: [1, 2, 3, 4, 5, 6],
    ffnDim: [1024, 2048, 3072],
    selfHeads: [4, 8],
    crossHeads: [4, 8],
    crossLayers: [1, 2, 3],
  });
  assert.equal(p.qkvDim, 512);
});

test("small and tiny have the documented largest subnets", () => {
  assert.equal(Math.max(...spaces.small.encoder.embedDim), 256);
  assert.equal(Math.max(...spaces.small.encoder.ffnDim), 1024);
  assert.equal(Math.max(...spaces.small.decoder.numLayers), 3);
  assert.equal(Math.max(...spaces.tiny.decoder.embedDim), 64);
  assert.equal(spaces.tiny.qkvDim, 64);
});

test("an unknown space name lists the known names", () => {
  assert.throws(() => getSpace("huge"), /unknown search space "huge"; known: tiny, small, paper/);
  assert.throws(() => getSpace("toString"), /unknown search space/);
});

test("space validation names each problem", () => {
  const bad = (change: (s: any) => void): SearchSpace => {
    const s = JSON.parse(JSON.stringify(elasticSpace));
    change(s);
    return s;
  };
  assert.deepEqual(spaceProblems(elasticSpace), []);
  assert.throws(() => validateSpace(bad((s) => (s.encoder.ffnDim = []))), /encoder\.ffnDim must be a non-empty array/);
  assert.throws(() => validateSpace(bad((s) => (s.decoder.ffnDim = [64, 32]))), /decoder\.ffnDim = \[64,32\] must be strictly ascending/);
  assert.throws(() => validateSpace(bad((s) => (s.decoder.ffnDim = [32, 32]))), /strictly ascending/);
  assert.throws(() => validateSpace(bad((s) => (s.decoder.ffnDim = [32, 64.5]))), /positive integers/);
  assert.throws(() => validateSpace(bad((s) => (s.encoder.embedDim = [0, 16]))), /positive integers/);
  assert.throws(() => validateSpace(bad((s) => (s.decoder.crossHeads = [1, 3]))), /decoder\.crossHeads choices 3 do not divide qkvDim = 16/);
  assert.throws(() => validateSpace(bad((s) => (s.decoder.crossLayers = [1, 3]))), /crossLayers choice 3 exceeds the smallest encoder\.numLayers choice 2/);
  assert.throws(() => validateSpace(bad((s) => delete s.decoder.selfHeads)), /decoder\.selfHeads must be a non-empty array/);
  assert.throws(() => validateSpace(bad((s) => (s.qkvDim = -1))), /qkvDim = -1/);
  const two = spaceProblems(bad((s) => ((s.name = ""), (s.encoder.numHeads = []))));
  assert.equal(two.length, 2);
});

test("defineSpace validates, copies and freezes without touching the input", () => {
  const input = JSON.parse(JSON.stringify(elasticSpace));
  const space = defineSpace(input);
  assert.deepEqual(space, elasticSpace);
  assert.ok(Object.isFrozen(space.encoder.ffnDim));
  assert.ok(!Object.isFrozen(input.encoder.ffnDim));
  assert.throws(() => defineSpace({ ...elasticSpace, qkvDim: 10 }), /encoder\.numHeads choices 4 do not divide qkvDim = 10/);
});
