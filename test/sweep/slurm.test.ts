import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { representativeArchs } from "../../src/eval/subnet-table";
import { archKey, getSpace, smallestArch } from "../../src/space/index";
import { SweepError, SweepRecord, SweepSpec, runStandaloneSweep, slurmSweepStatus, submitSlurmSweep, sweepIdentity, sweepJobs, waitForSlurmSweep } from "../../src/sweep/index";
import { startSlurmCluster } from "../helpers/slurm-cluster";

// Two tiny subnets, two seeds, two updates: four jobs of a few seconds each.
const space = getSpace("tiny");
const spec: SweepSpec = { name: "on-slurm", preset: "tiny", archs: [archKey(smallestArch(space)), archKey(representativeArchs(space, 3, 7)[2])], updates: 2, seeds: [1, 2], bleu: false, dataSeed: 1 };
const jobs = sweepJobs(spec);
const ids = jobs.map((j) => j.id);

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  for (const end = Date.now() + timeoutMs; ; await delay(200)) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

test("a sweep on Slurm mixes with local results, survives a cancelled and a requeued task, and resubmits only unfinished jobs", { timeout: 600_000 }, async (t) => {
  const started = Date.now();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-slurm-"));
  t.after(() => fs.rmSync(outDir, { recursive: true, force: true }));
  const cluster = await startSlurmCluster();
  t.after(() => cluster.stop());
  t.diagnostic(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const dir = sweepIdentity(spec, outDir).dir;

  /** [job id, "local" | "slurm"] per launch, in order, from the launch log. */
  const launches = (): [string, string][] => {
    const file = path.join(dir, "launches.log");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(" ")).map((w) => [w[1], w[2] === "slurm" ? "slurm" : "local"]) : [];
  };
  const stamp = (id: string) => {
    const s = fs.statSync(path.join(dir, `${id}.json`));
    return `${s.ino}:${s.mtimeMs}`;
  };
  const done = (id: string) => fs.existsSync(path.join(dir, `${id}.json`));

  // 1. The first job finishes locally (a sweep aborted once one result is in).
  const controller = new AbortController();
  await assert.rejects(runStandaloneSweep(spec, { outDir, workers: 1, signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() }), { name: "AbortError" });
  assert.deepEqual(launches(), [["a00-s1", "local"]]);
  const localStamp = stamp("a00-s1");

  // 2. One array for the three others; submitting again while it runs adds nothing.
  const first = submitSlurmSweep(spec, { outDir, maxConcurrent: 2 });
  assert.match(first.jobId ?? "", /^\d+$/);
  assert.deepEqual([first.array, first.finished, first.total, first.submitted.map((j) => j.id)], ["1-3%2", 1, 4, ids.slice(1)]);
  const repeat = submitSlurmSweep(spec, { outDir, maxConcurrent: 2 });
  assert.deepEqual([repeat.jobId, repeat.submitted.length, repeat.queued.map((j) => j.id)], [null, 0, ids.slice(1)]);
  assert.deepEqual(slurmSweepStatus(spec, outDir).submissions.map((s) => s.jobId), [first.jobId]);

  // 3. Cancel the first task seen training, before its result is written.
  const victim = await until("a Slurm task to start training", () => {
    const id = launches().find(([, kind]) => kind === "slurm")?.[0];
    return id === undefined ? undefined : jobs.find((j) => j.id === id)!;
  });
  assert.ok(!done(victim.id), `${victim.id} finished before it could be cancelled; the test needs slower jobs`);
  cluster.run("scancel", [`${first.jobId}_${victim.index}`]);
  const err = await waitForSlurmSweep(spec, { outDir, pollSeconds: 1 }).then(() => null, (e: unknown) => e);
  t.diagnostic(`first array ended at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.ok(err instanceof SweepError, `expected a SweepError, got ${String(err)}`);
  assert.deepEqual(err.failures.map((f) => f.job.id), [victim.id]);
  assert.match(err.failures[0].exit, new RegExp(`^Slurm task ${first.jobId}_${victim.index} CANCELLED`));
  assert.match(err.failures[0].rerun, /slurm-task\.ts .*tasks\.json \d+$/);
  const finished = ids.filter((id) => id !== victim.id);
  assert.deepEqual(err.records.map((r) => r?.job.id ?? null), ids.map((id) => (id === victim.id ? null : id)));
  const stamps = Object.fromEntries(finished.map((id) => [id, stamp(id)]));
  assert.equal(stamps["a00-s1"], localStamp, "the local result was not rewritten by Slurm");

  // 4. Requeue a task whose job Slurm finished: it must find the result and leave it alone.
  const requeued = jobs.find((j) => j.id !== victim.id && j.index > 0)!;
  cluster.run("scontrol", ["requeue", `${first.jobId}_${requeued.index}`]);
  // Slurm holds a requeued job back for a while; release it now.
  cluster.run("scontrol", ["update", `JobId=${first.jobId}_${requeued.index}`, "StartTime=now"]);

  // 5. Resubmitting sends only the cancelled job.
  const second = submitSlurmSweep(spec, { outDir, maxConcurrent: 2 });
  assert.deepEqual([second.array, second.finished, second.submitted.map((j) => j.id)], [`${victim.index}%2`, 3, [victim.id]]);
  const records = await waitForSlurmSweep(spec, { outDir, pollSeconds: 1 });
  t.diagnostic(`second array ended at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(records.map((r) => [r.job.id, r.result.arch]), jobs.map((j) => [j.id, j.arch]));
  // The sweep is complete once every record exists, which can be before Slurm has run the
  // requeued task again; wait for that run, which must find its result and leave it alone.
  const requeuedOut = path.join(dir, "slurm", `${first.jobId}_${requeued.index}.out`);
  const rerun = new RegExp(`slurm task ${requeued.index}: finished already`);
  await until("the requeued task to run again", () => (fs.existsSync(requeuedOut) && rerun.test(fs.readFileSync(requeuedOut, "utf8")) ? true : undefined));
  for (const id of finished) assert.equal(stamp(id), stamps[id], `${id} was not rewritten`);
  const expectedLaunches = [["a00-s1", "local"], ...ids.slice(1).map((id) => [id, "slurm"]), [victim.id, "slurm"]].map((l) => l.join(" ")).sort();
  assert.deepEqual(launches().map((l) => l.join(" ")).sort(), expectedLaunches, "each job ran once, the cancelled one twice");
  const status = slurmSweepStatus(spec, outDir);
  assert.deepEqual([status.done, status.pending, status.active, status.submissions.length], [4, [], [], 2]);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no temp file is left");
  assert.deepEqual(fs.readdirSync(path.join(dir, "jobs")), [], "finished jobs' inputs are removed");

  // 6. Oracle: a job Slurm computed, recomputed by a local sweep, gives the same record; the
  // local sweep runs nothing else.
  const redo = ids[3];
  fs.rmSync(path.join(dir, `${redo}.json`));
  const local = await runStandaloneSweep(spec, { outDir, workers: 1 });
  assert.deepEqual(launches().slice(-1), [[redo, "local"]]);
  assert.equal(launches().length, expectedLaunches.length + 1);
  const essence = (r: SweepRecord) => ({ specHash: r.specHash, job: r.job, result: r.result, train: r.train, backend: r.backend });
  assert.deepEqual(local.map(essence), records.map(essence));
  t.diagnostic(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
