import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { archKey, getBertSpace, getSpace, largestArch, smallestArch } from "../../src/space/index";
import { groundTruthSpec } from "../../src/estimator/ground-truth-spec";
import { SweepSpec, canonicalJson, runStandaloneSweep, sweepIdentity, sweepJobs, validateSweepSpec } from "../../src/sweep/index";

const space = getSpace("tiny");
const spec: SweepSpec = { name: "unit", preset: "tiny", archs: [archKey(largestArch(space)), archKey(smallestArch(space))], updates: 3, seeds: [1, 2], bleu: false, dataSeed: 1 };

test("an invalid arch key is rejected naming the field, its index and value", () => {
  const bad = { ...spec, archs: [spec.archs[0], "e64x2[128,128|4,4]-d64x9[128|4|4|2]"] };
  assert.throws(() => validateSweepSpec(bad), /sweep spec: archs\[1\] = "e64x2\[128,128\|4,4\]-d64x9\[128\|4\|4\|2\]" is not an arch of space tiny/);
  assert.throws(() => validateSweepSpec({ ...spec, archs: [spec.archs[0], "not a key"] }), /archs\[1\].*not an arch key/);
});

test("every other invalid field is named with its value", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ name: "a/b" }, /sweep spec: name must be .*; got "a\/b"/],
    [{ preset: "huge" }, /preset must be one of tiny, small, paper; got "huge"/],
    [{ archs: [] }, /archs must be a non-empty array/],
    [{ archs: [spec.archs[0], spec.archs[0]] }, /archs\[1\] repeats an earlier arch/],
    [{ updates: 0 }, /updates must be an integer >= 1; got 0/],
    [{ updates: 2.5 }, /updates must be an integer >= 1; got 2.5/],
    [{ seeds: [1, -1] }, /seeds\[1\] must be an integer >= 0; got -1/],
    [{ seeds: [3, 3] }, /seeds must not repeat a seed/],
    [{ bleu: "yes" }, /bleu must be true or false; got "yes"/],
    [{ dataSeed: null }, /dataSeed must be an integer >= 0; got null/],
    [{ update: 3 }, /update is not a sweep spec field/],
  ];
  for (const [change, message] of cases) assert.throws(() => validateSweepSpec({ ...spec, ...change }), message, JSON.stringify(change));
});

test("the identity ignores key order and changes with every field", () => {
  const out = "/tmp/x";
  const base = sweepIdentity(spec, out);
  const reordered = Object.fromEntries(Object.entries(spec).reverse()) as unknown as SweepSpec;
  assert.equal(sweepIdentity(reordered, out).hash, base.hash);
  assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), '{"a":{"c":null,"d":[2,1]},"b":1}');
  const variants: Partial<SweepSpec>[] = [{ name: "unit2" }, { archs: [...spec.archs].reverse() }, { updates: 4 }, { seeds: [1] }, { bleu: true }, { dataSeed: 2 }, { preset: "small", archs: [archKey(smallestArch(getSpace("small")))] }];
  const hashes = new Set([base.hash, ...variants.map((v) => sweepIdentity({ ...spec, ...v }, out).hash)]);
  assert.equal(hashes.size, variants.length + 1);
  assert.equal(base.dir, path.join(out, "sweeps", `unit-${base.hash.slice(0, 8)}`));
  assert.equal(base.settings.data.seed, 1);
  assert.equal(base.settings.train.schedule.maxUpdates, 3);
});

test("jobs are arch x seed in spec order with short unique ids", () => {
  assert.deepEqual(
    sweepJobs(spec).map((j) => [j.id, j.index, j.arch === spec.archs[0] ? 0 : 1, j.seed]),
    [["a00-s1", 0, 0, 1], ["a00-s2", 1, 0, 2], ["a01-s1", 2, 1, 1], ["a01-s2", 3, 1, 2]],
  );
});

test("runStandaloneSweep rejects an invalid spec before creating anything", async () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-spec-"));
  await assert.rejects(runStandaloneSweep({ ...spec, archs: ["e1x1[1|1]-d1x1[1|1|1|1]"] }, { outDir }), /archs\[0\]/);
  await assert.rejects(runStandaloneSweep(spec, { outDir, workers: 0 }), /workers must be an integer >= 1; got 0/);
  assert.deepEqual(fs.readdirSync(outDir), []);
});

test("a masked-LM spec: archs of the preset's BERT space, no BLEU, and translation specs hash as they always did", () => {
  const bert = getBertSpace("bert-tiny");
  const mlm: SweepSpec = { ...spec, name: "mlm", task: "masked-lm", archs: [archKey(largestArch(bert)), archKey(smallestArch(bert))] };
  const id = sweepIdentity(mlm, "/tmp/x");
  assert.equal(id.settings.space.name, "bert-tiny");
  assert.equal(id.settings.train.labelSmoothing, 0, "masked LM is trained without label smoothing");
  assert.equal(id.settings.bleu, null);
  assert.equal((id.settings.data as { maxLen: number }).maxLen, 64);
  assert.throws(() => validateSweepSpec({ ...mlm, archs: spec.archs }), /archs\[0\] = .* is not an arch of space bert-tiny/);
  assert.throws(() => validateSweepSpec({ ...spec, archs: mlm.archs }), /archs\[0\] = .* is not an arch of space tiny/);
  assert.throws(() => validateSweepSpec({ ...mlm, bleu: true }), /bleu must be false for a masked-LM sweep/);
  assert.throws(() => validateSweepSpec({ ...mlm, task: "glue" }), /task must be "masked-lm" or absent \(translation\); got "glue"/);
  assert.notEqual(id.hash, sweepIdentity({ ...mlm, task: undefined, archs: spec.archs }, "/tmp/x").hash);
  // The shipped small ground truth (data/artifacts/sweeps/ground-truth-small-b5cd0dbb, 600 updates)
  // is found by this hash: a change to translation settings or spaces must be deliberate, with a new
  // artifact. Its 200-update predecessor (ground-truth-small-51f8742b) stays for 04's by-length table.
  assert.equal(sweepIdentity(groundTruthSpec("small"), "/tmp/x").hash.slice(0, 8), "b5cd0dbb");
  assert.equal(sweepIdentity({ ...groundTruthSpec("small"), updates: 200 }, "/tmp/x").hash.slice(0, 8), "51f8742b");
  // Likewise the shipped BERT ground truth (data/artifacts/sweeps/bert-ground-truth-small-ff3dd852).
  assert.equal(sweepIdentity(groundTruthSpec("small", "masked-lm"), "/tmp/x").hash.slice(0, 8), "ff3dd852");
  const gt = groundTruthSpec("tiny", "masked-lm");
  assert.equal(gt.name, "bert-ground-truth-tiny");
  assert.equal(new Set(gt.archs).size, gt.archs.length);
  validateSweepSpec(gt);
});
