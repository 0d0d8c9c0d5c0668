import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { groundTruthProgress } from "../../src/estimator/ground-truth-progress";
import { describeGroundTruthByLength, groundTruthByLength, groundTruthSpec } from "../../src/estimator/ground-truth-spec";
import { representativeArchs } from "../../src/eval/subnet-table";
import { archKey, getSpace } from "../../src/space/index";
import { SweepSpec, packSweepArtifact, recordFormat, resultFile, sweepIdentity, sweepJobs } from "../../src/sweep/index";
import { atomicWriteJson } from "../../src/util/atomic-write";

const archs = representativeArchs(getSpace("tiny"), 7, 3).map(archKey);
const spec: SweepSpec = { name: "gt-progress", preset: "tiny", archs, updates: 3, seeds: [1, 2], bleu: false, dataSeed: 1 };
// Seed 2 swaps the order of subnets 1 and 2 only: over the first five subnets, 9 of 10 pairs agree.
const losses: Record<number, number[]> = { 1: [5, 4, 3, 2, 1, 0.5, 0.2], 2: [5.1, 3.0, 4.0, 2.1, 1.1, 0.6, 0.3] };

// Records written by hand in the worker's format, `finished` of them in job order.
function writeSweep(s: SweepSpec, outDir: string, finished: number, lossOf: (arch: string, seed: number) => number): void {
  const id = sweepIdentity(s, outDir);
  fs.mkdirSync(id.dir, { recursive: true });
  atomicWriteJson(path.join(id.dir, "spec.json"), { hash: id.hash, spec: id.spec, settings: id.settings });
  sweepJobs(id.spec).slice(0, finished).forEach((job) => {
    const loss = lossOf(job.arch, job.seed);
    atomicWriteJson(resultFile(id.dir, job), {
      format: recordFormat, specHash: id.hash, job,
      result: { arch: job.arch, params: 1000, flops: 5000, validLoss: loss, perplexity: Math.exp(loss), bleu: null },
      train: { updates: s.updates, finalTrainLoss: 6.5 }, seconds: 10, backend: "wasm", gitRevision: "abcdef0123456789", finishedAt: "2026-12-01T00:00:00.000Z",
    });
  });
}

function partialSweep(finished: number): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "gt-progress-"));
  writeSweep(spec, outDir, finished, (arch, seed) => losses[seed][archs.indexOf(arch)]);
  return outDir;
}

test("an unfinished ground truth reports seed agreement over the subnets finished with both seeds", () => {
  assert.deepEqual(sweepJobs(spec).slice(0, 4).map((j) => j.id), ["a00-s1", "a00-s2", "a01-s1", "a01-s2"], "seeds of one subnet are neighbours in job order");
  const p = groundTruthProgress(spec, partialSweep(11));
  assert.equal(p.finishedJobs, 11);
  assert.equal(p.totalJobs, 14);
  assert.equal(p.completeSubnets, 5, "the sixth subnet has seed 1 only and is left out");
  assert.equal(p.trainingSeconds, 110);
  assert.ok(p.interim !== null);
  assert.equal(p.interim.kendall.n, 5);
  assert.ok(Math.abs(p.interim.kendall.estimate - 0.8) < 1e-12, `tau ${p.interim.kendall.estimate}, by hand (9 - 1) / 10`);
  assert.equal(p.interim.reliable, true);
  assert.ok(Math.abs(p.interim.meanSeedDifference - (0.1 + 1 + 1 + 0.1 + 0.1) / 5) < 1e-12);
});

test("below five complete subnets there is no interim agreement, and a finished sweep covers every subnet", () => {
  const early = groundTruthProgress(spec, partialSweep(9));
  assert.equal(early.completeSubnets, 4);
  assert.equal(early.interim, null);
  const done = groundTruthProgress(spec, partialSweep(14));
  assert.equal(done.completeSubnets, 7);
  assert.equal(done.interim?.kendall.n, 7);
});

test("shipped ground truths of one design at several lengths are listed by updates, with their seed agreement, spread and noise", () => {
  const base = groundTruthSpec("tiny");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gt-lengths-root-"));
  const n = base.archs.length;
  // Short: seed 2 reverses the order of the last half of the subnets. Long: both seeds rank alike, further apart.
  const short = (arch: string, seed: number) => { const i = base.archs.indexOf(arch); return seed === 1 || i < n / 2 ? 6 - i / 100 : 6 - (n - 1 - i + n / 2) / 100 + 0.001; };
  const long = (arch: string, seed: number) => 5 - base.archs.indexOf(arch) / 10 + (seed === 1 ? 0 : 0.02);
  for (const [updates, lossOf] of [[500, long], [40, short]] as const) {
    const from = fs.mkdtempSync(path.join(os.tmpdir(), "gt-lengths-from-"));
    const s = { ...base, updates };
    writeSweep(s, from, Infinity, lossOf);
    packSweepArtifact(s, from, `npm run ground-truth -- --preset tiny --updates ${updates}`, root);
  }
  // Another design (other seeds) under the same name is not this ground truth and is left out.
  const other = fs.mkdtempSync(path.join(os.tmpdir(), "gt-lengths-other-"));
  const otherSpec = { ...base, seeds: [3, 4] };
  writeSweep(otherSpec, other, Infinity, long);
  packSweepArtifact(otherSpec, other, "another design", root);

  const rows = groundTruthByLength("tiny", "translation", root);
  assert.deepEqual(rows.map((r) => r.updates), [40, 500]);
  assert.equal(rows[1].seedKendall.estimate, 1);
  assert.equal(rows[1].reliable, true);
  assert.ok(Math.abs(rows[1].seedNoiseSd) < 1e-9, "a constant seed offset is no noise in the ranking");
  const pairs = (n * (n - 1)) / 2;
  const swapped = ((n / 2) * (n / 2 - 1)) / 2;
  assert.ok(Math.abs(rows[0].seedKendall.estimate - (pairs - 2 * swapped) / pairs) < 1e-12, `tau ${rows[0].seedKendall.estimate}`);
  assert.ok(rows[1].spreadSd > rows[0].spreadSd);
  const said = describeGroundTruthByLength(rows);
  assert.match(said ?? "", /^From 40 to 500 updates per subnet .* to 1\.000 .*at 500 updates it is above the bar of 0\.7\.$/);
  assert.equal(describeGroundTruthByLength(rows.slice(0, 1)), null);
  assert.deepEqual(groundTruthByLength("tiny", "translation", fs.mkdtempSync(path.join(os.tmpdir(), "gt-empty-"))), []);
});
