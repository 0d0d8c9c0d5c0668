import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { groundTruthProgress } from "../../src/estimator/ground-truth-progress";
import { representativeArchs } from "../../src/eval/subnet-table";
import { archKey, getSpace } from "../../src/space/index";
import { SweepSpec, recordFormat, resultFile, sweepIdentity, sweepJobs } from "../../src/sweep/index";
import { atomicWriteJson } from "../../src/util/atomic-write";

const archs = representativeArchs(getSpace("tiny"), 7, 3).map(archKey);
const spec: SweepSpec = { name: "gt-progress", preset: "tiny", archs, updates: 3, seeds: [1, 2], bleu: false, dataSeed: 1 };
// Seed 2 swaps the order of subnets 1 and 2 only: over the first five subnets, 9 of 10 pairs agree.
const losses: Record<number, number[]> = { 1: [5, 4, 3, 2, 1, 0.5, 0.2], 2: [5.1, 3.0, 4.0, 2.1, 1.1, 0.6, 0.3] };

// Records written by hand in the worker's format, `finished` of them in job order.
function partialSweep(finished: number): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "gt-progress-"));
  const id = sweepIdentity(spec, outDir);
  fs.mkdirSync(id.dir, { recursive: true });
  atomicWriteJson(path.join(id.dir, "spec.json"), { hash: id.hash, spec: id.spec, settings: id.settings });
  sweepJobs(id.spec).slice(0, finished).forEach((job) => {
    const loss = losses[job.seed][archs.indexOf(job.arch)];
    atomicWriteJson(resultFile(id.dir, job), {
      format: recordFormat, specHash: id.hash, job,
      result: { arch: job.arch, params: 1000, flops: 5000, validLoss: loss, perplexity: Math.exp(loss), bleu: null },
      train: { updates: 3, finalTrainLoss: 6.5 }, seconds: 10, backend: "wasm", gitRevision: "abcdef0123456789", finishedAt: "2026-12-01T00:00:00.000Z",
    });
  });
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
