import { test } from "node:test";
import assert from "node:assert/strict";
import {
  archFromHatConfig,
  archFromJSON,
  archProblems,
  archToHatConfig,
  isValidArch,
  largestArch,
  spaces,
  validateArch,
} from "../../src/space";
import { smallArch, withChange } from "./helpers";

const small = spaces.small;

test("a valid arch passes", () => {
  validateArch(small, smallArch);
  assert.ok(isValidArch(small, smallArch));
  assert.deepEqual(archProblems(small, smallArch), []);
});

test("a value not in the choices is named with field, layer, value and allowed values", () => {
  const bad = withChange(smallArch, (a) => (a.decoder.ffnDim[2] = 1500));
  assert.throws(
    () => validateArch(small, bad),
    { message: 'arch is not in search space "small": decoder.ffnDim[2] = 1500 is not allowed; allowed: 256, 512, 1024' },
  );
  assert.ok(!isValidArch(small, bad));
  assert.throws(
    () => validateArch(small, withChange(smallArch, (a) => (a.encoder.embedDim = 100))),
    /encoder\.embedDim = 100 is not allowed; allowed: 128, 192, 256/,
  );
  assert.throws(
    () => validateArch(small, withChange(smallArch, (a) => (a.decoder.crossLayers[0] = 3))),
    /decoder\.crossLayers\[0\] = 3 is not allowed; allowed: 1, 2/,
  );
});

test("wrong array lengths are named against numLayers", () => {
  assert.throws(
    () => validateArch(small, withChange(smallArch, (a) => a.decoder.selfHeads.pop())),
    /decoder\.selfHeads has 2 entries, expected numLayers = 3/,
  );
  assert.throws(
    () => validateArch(small, withChange(smallArch, (a) => (a.decoder.numLayers = 2))),
    /decoder\.ffnDim has 3 entries, expected numLayers = 2/,
  );
});

test("non-integers, missing fields and non-objects are named", () => {
  assert.throws(() => validateArch(small, withChange(smallArch, (a) => (a.encoder.numHeads[1] = 2.5))), /encoder\.numHeads\[1\] = 2\.5 is not an integer/);
  assert.throws(() => validateArch(small, withChange(smallArch, (a) => (a.encoder.numHeads[1] = "4"))), /encoder\.numHeads\[1\] = "4" is not an integer/);
  assert.throws(() => validateArch(small, withChange(smallArch, (a) => delete a.decoder.crossHeads)), /decoder\.crossHeads must be an array/);
  assert.throws(() => validateArch(small, withChange(smallArch, (a) => delete a.encoder.embedDim)), /encoder\.embedDim is missing; allowed: 128, 192, 256/);
  assert.throws(() => validateArch(small, withChange(smallArch, (a) => delete a.decoder)), /decoder is missing/);
  assert.throws(() => validateArch(small, null), /arch must be an object, got null/);
  // Several problems are all listed, one per line.
  const problems = archProblems(small, withChange(smallArch, (a) => ((a.encoder.embedDim = 1), (a.decoder.ffnDim[0] = 2))));
  assert.equal(problems.length, 2);
  assert.throws(() => validateArch(small, withChange(smallArch, (a) => ((a.encoder.embedDim = 1), (a.decoder.ffnDim[0] = 2)))), /:\n  encoder\.embedDim = 1.*\n  decoder\.ffnDim\[0\] = 2/);
});

test("archFromJSON reads JSON text or objects and rejects unknown fields", () => {
  const text = JSON.stringify(smallArch);
  assert.deepEqual(archFromJSON(text, small), smallArch);
  const parsed = JSON.parse(text);
  const arch = archFromJSON(parsed, small);
  assert.deepEqual(arch, smallArch);
  assert.notEqual(arch.encoder.ffnDim, parsed.encoder.ffnDim);
  assert.throws(() => archFromJSON("{not json", small), /not valid JSON/);
  assert.throws(() => archFromJSON("[1,2]", small), /expected an object/);
  assert.throws(() => archFromJSON(withChange(smallArch, (a) => (a.encoder.ffnDims = [1])), small), /unknown field\(s\) encoder\.ffnDims/);
  assert.throws(() => archFromJSON({ ...smallArch, extra: 1 }, small), /unknown field\(s\) extra/);
  assert.throws(() => archFromJSON(withChange(smallArch, (a) => (a.decoder.ffnDim[1] = 7)), small), /decoder\.ffnDim\[1\] = 7 is not allowed/);
});

test("HAT subtransformer configs convert both ways, with HAT's -1/1/2 attention codes", () => {
  const hat = {
    "encoder-embed-dim-subtransformer": 640,
    "decoder-embed-dim-subtransformer": 512,
    "encoder-ffn-embed-dim-all-subtransformer": [3072, 3072, 3072, 3072, 3072, 3072],
    "decoder-ffn-embed-dim-all-subtransformer": [2048, 3072, -1, -1, -1, -1],
    "encoder-layer-num-subtransformer": 6,
    "decoder-layer-num-subtransformer": 2,
    "encoder-self-attention-heads-all-subtransformer": [8, 8, 8, 8, 8, 4],
    "decoder-self-attention-heads-all-subtransformer": [4, 8, -1, -1, -1, -1],
    "decoder-ende-attention-heads-all-subtransformer": [8, 8, -1, -1, -1, -1],
    "decoder-arbitrary-ende-attn-all-subtransformer": [-1, 2, -1, -1, -1, -1],
  };
  const arch = archFromJSON(JSON.stringify(hat), spaces.paper);
  assert.deepEqual(arch.decoder, {
    embedDim: 512,
    numLayers: 2,
    ffnDim: [2048, 3072],
    selfHeads: [4, 8],
    crossHeads: [8, 8],
    crossLayers: [1, 3],
  });
  assert.deepEqual(arch.encoder.numHeads, [8, 8, 8, 8, 8, 4]);
  assert.deepEqual(archFromHatConfig(archToHatConfig(arch), spaces.paper), arch);
  assert.deepEqual(archToHatConfig(largestArch(spaces.paper))["decoder-arbitrary-ende-attn-all-subtransformer"], [2, 2, 2, 2, 2, 2]);
  assert.throws(() => archFromHatConfig({ ...hat, "decoder-layer-num-subtransformer": 7 }, spaces.paper), /must be a list of at least 7/);
  assert.throws(() => archFromHatConfig({ ...hat, "encoder-embed-dim-subtransformer": 600 }, spaces.paper), /encoder\.embedDim = 600 is not allowed/);
});
