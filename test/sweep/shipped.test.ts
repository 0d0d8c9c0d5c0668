import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { archKey, getSpace } from "../../src/space/index";
import { representativeArchs } from "../../src/eval/subnet-table";
import { SweepSpec, sweepIdentity, sweepJobs, resultFile, recordFormat } from "../../src/sweep/index";
import { packSweepArtifact, shippedSweep, sweepOrShipped, verifyArtifact } from "../../src/sweep/shipped";
import { atomicWriteJson } from "../../src/util/atomic-write";

// Records are written by hand (the format a worker writes), so packing is tested without training.
const archs = representativeArchs(getSpace("tiny"), 3, 7).map(archKey);
const spec: SweepSpec = { name: "gt", preset: "tiny", archs, updates: 3, seeds: [1, 2], bleu: false, dataSeed: 1 };

function fakeSweep(outDir: string, finished = Infinity): void {
  const id = sweepIdentity(spec, outDir);
  fs.mkdirSync(id.dir, { recursive: true });
  atomicWriteJson(path.join(id.dir, "spec.json"), { hash: id.hash, spec: id.spec, settings: id.settings });
  sweepJobs(id.spec).slice(0, finished).forEach((job, i) => {
    atomicWriteJson(resultFile(id.dir, job), {
      format: recordFormat, specHash: id.hash, job,
      result: { arch: job.arch, params: 1000 + i, flops: 5000 + i, validLoss: 6 - i / 10, perplexity: Math.exp(6 - i / 10), bleu: null },
      train: { updates: 3, finalTrainLoss: 6.5 }, seconds: 2, backend: "wasm", gitRevision: "abcdef0123456789", finishedAt: "2026-12-01T00:00:00.000Z",
    });
  });
}

test("a packed artifact verifies, and a notebook gets its records without training", async () => {
  const from = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-from-"));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-root-"));
  fakeSweep(from);
  const manifest = packSweepArtifact(spec, from, "npm run ground-truth -- --preset tiny", root);
  assert.equal(manifest.jobs, 6);
  assert.deepEqual(manifest.revisions, ["abcdef0123456789"]);
  assert.equal(manifest.jobSeconds, 12);
  assert.equal(Object.keys(manifest.files).length, 7, "spec.json and six results");
  const found = shippedSweep(spec, root);
  assert.ok("records" in found);
  assert.deepEqual(found.records.map((r) => r.job.id), ["a00-s1", "a00-s2", "a01-s1", "a01-s2", "a02-s1", "a02-s2"]);
  const got = await sweepOrShipped(spec, { outDir: from, artifacts: root, workers: 1 });
  assert.equal(got.shipped, true);
  assert.match(got.source, /shipped artifact .* \(6 jobs, seeds 1, 2, revision abcdef0, backend wasm, .*every SHA-256 verified\)/);
  assert.deepEqual(fs.readdirSync(root).filter((f) => f.endsWith(".tmp")), [], "no temp folder is left");
});

test("a damaged artifact is an error naming the file and the command that regenerates it", () => {
  const from = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-from-"));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-root-"));
  fakeSweep(from);
  packSweepArtifact(spec, from, "npm run ground-truth -- --preset tiny", root);
  const dir = sweepIdentity(spec, root).dir;
  fs.appendFileSync(path.join(dir, "a01-s2.json"), " ");
  assert.throws(() => verifyArtifact(dir), /a01-s2.json does not match its SHA-256 .*npm run ground-truth -- --preset tiny/);
  assert.throws(() => shippedSweep(spec, root), /damaged/);
  fs.rmSync(path.join(dir, "a00-s1.json"));
  assert.throws(() => verifyArtifact(dir), /a00-s1.json is missing/);
});

test("an unfinished sweep is not packed, and another spec finds no artifact and says why", () => {
  const from = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-from-"));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "artifact-root-"));
  fakeSweep(from, 4);
  assert.throws(() => packSweepArtifact(spec, from, "cmd", root), /job a02-s1 .* is not finished \(missing\)/);
  fakeSweep(from);
  packSweepArtifact(spec, from, "cmd", root);
  const other = shippedSweep({ ...spec, updates: 4 }, root);
  assert.ok("why" in other);
  assert.match(other.why, /the shipped gt-[0-9a-f]{8} was made under other settings/);
});
