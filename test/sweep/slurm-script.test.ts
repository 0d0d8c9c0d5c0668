import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseSweepArgs } from "../../scripts/sweep";
import { recordFormat } from "../../src/sweep/record";
import { arraySpec, resolveSlurmOptions, slurmBatchScript, sweepJobs, validateSweepSpec } from "../../src/sweep/index";
import { runSlurmTask } from "../../src/sweep/slurm-task";
import { taskListFormat, writeTaskList } from "../../src/sweep/slurm-task-list";
import { archKey, getSpace, largestArch, smallestArch } from "../../src/space/index";

test("arraySpec folds ascending indices into ranges and appends the concurrency limit", () => {
  assert.equal(arraySpec([0, 1, 2, 5, 7, 8], 4), "0-2,5,7-8%4");
  assert.equal(arraySpec([3], 1), "3%1");
  assert.equal(arraySpec([1, 3, 5], 16), "1,3,5%16");
  assert.throws(() => arraySpec([], 2), /indices must not be empty/);
});

test("Slurm options: defaults, and errors that name the option, the value and what is allowed", () => {
  const d = resolveSlurmOptions();
  assert.deepEqual({ ...d, node: "" }, { partition: null, time: null, gpus: 0, cpusPerTask: 1, mem: null, maxConcurrent: 16, sbatchArgs: [], backend: null, setup: [], node: "" });
  assert.equal(d.node, process.execPath);
  assert.equal(resolveSlurmOptions({ time: "2-12:00:00" }).time, "2-12:00:00");
  const bad: [object, RegExp][] = [
    [{ partition: "gpu a100" }, /partition must be a partition name .*; got "gpu a100"/],
    [{ time: "1:2:3:4" }, /time must be a Slurm time: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS; got "1:2:3:4"/],
    [{ gpus: -1 }, /gpus must be an integer >= 0; got -1/],
    [{ gpus: 1.5 }, /gpus must be an integer >= 0; got 1.5/],
    [{ cpusPerTask: 0 }, /cpusPerTask must be an integer >= 1; got 0/],
    [{ mem: "4GB" }, /mem must be a positive number with an optional K, M, G or T suffix, e.g. 4G; got "4GB"/],
    [{ maxConcurrent: 0 }, /maxConcurrent must be an integer >= 1; got 0/],
    [{ sbatchArgs: ["account=nlp"] }, /sbatchArgs\[0\] must be an sbatch option starting with '-'/],
    [{ sbatchArgs: ["--qos=short", "--array=1-3"] }, /sbatchArgs\[1\] must be an option the sweep does not set itself .*; got "--array=1-3"/],
    [{ sbatchArgs: ["-ofile.out"] }, /sbatchArgs\[0\] must be an option the sweep does not set itself/],
    [{ backend: "cuda" }, /backend must be a SUPERNET_BACKEND value: one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu; got "cuda"/],
    [{ setup: ["module load node\nrm -rf /"] }, /setup\[0\] must be one shell line without newlines/],
    [{ partiton: "gpu" }, /partiton must be one of the Slurm options \(partition, time, .*\); got "gpu"/],
  ];
  for (const [options, message] of bad) assert.throws(() => resolveSlurmOptions(options as never), message, JSON.stringify(options));
});

test("the batch script: every directive asked for, the backend, setup lines, and the task entry with the task index", () => {
  const options = resolveSlurmOptions({ partition: "gpu", time: "04:00:00", gpus: 2, cpusPerTask: 4, mem: "16G", maxConcurrent: 3, backend: "tensorflow-gpu", setup: ["module load nodejs/20"], node: "/opt/node/bin/node", sbatchArgs: ["--account=nlp"] });
  const script = slurmBatchScript(
    { jobName: "fixed-1a2b3c4d", indices: [0, 1, 2, 6], output: "/shared/out/sweeps/fixed-1a2b3c4d/slurm/%A_%a.out", root: "/shared/supernet-lab", entry: ["--import", "tsx", "/shared/supernet-lab/src/sweep/slurm-task.ts"], tasksFile: "/shared/out/sweeps/fixed-1a2b3c4d/slurm/tasks.json" },
    options,
  );
  assert.equal(
    script,
    `#!/bin/bash
# One array task per unfinished job of sweep fixed-1a2b3c4d; the task index is the job index.
#SBATCH --job-name=fixed-1a2b3c4d
#SBATCH --array=0-2,6%3
#SBATCH --output=/shared/out/sweeps/fixed-1a2b3c4d/slurm/%A_%a.out
#SBATCH --partition=gpu
#SBATCH --time=04:00:00
#SBATCH --gres=gpu:2
#SBATCH --cpus-per-task=4
#SBATCH --mem=16G
set -euo pipefail
module load nodejs/20
export SUPERNET_BACKEND=tensorflow-gpu
cd /shared/supernet-lab
exec /opt/node/bin/node --import tsx /shared/supernet-lab/src/sweep/slurm-task.ts /shared/out/sweeps/fixed-1a2b3c4d/slurm/tasks.json "$SLURM_ARRAY_TASK_ID"
`,
  );
  // Defaults leave partition, time, GPUs and memory to the cluster.
  const plain = slurmBatchScript({ jobName: "s-0", indices: [4], output: "/my out/%A_%a.out", root: "/my project", entry: ["x.js"], tasksFile: "/my out/tasks.json" }, resolveSlurmOptions({ node: "node" }));
  assert.deepEqual(plain.split("\n").filter((l) => l.startsWith("#SBATCH")), ["#SBATCH --job-name=s-0", "#SBATCH --array=4%16", '#SBATCH --output="/my out/%A_%a.out"', "#SBATCH --cpus-per-task=1"]);
  assert.match(plain, /^cd '\/my project'$/m);
  assert.match(plain, /^exec node x\.js '\/my out\/tasks\.json' "\$SLURM_ARRAY_TASK_ID"$/m);
  assert.doesNotMatch(plain, /SUPERNET_BACKEND/);
  assert.throws(() => slurmBatchScript({ jobName: "s", indices: [0], output: '/a"b/%a.out', root: "/", entry: [], tasksFile: "/t" }, resolveSlurmOptions()), /output must not contain a double quote or newline; got "\/a\\"b\/%a.out"/);
});

test("sweep command line: backends, Slurm flags, and errors naming the flag and the allowed values", () => {
  const local = parseSweepArgs(["spec.json"]);
  assert.deepEqual({ ...local, outDir: "" }, { specFile: "spec.json", backend: "local", outDir: "", status: false, wait: false, workers: 2, slurm: {}, pollSeconds: 10 });
  assert.equal(parseSweepArgs(["spec.json", "--workers=3", "--out", "/tmp/o"]).workers, 3);
  assert.equal(parseSweepArgs(["spec.json", "--out", "/tmp/o"]).outDir, "/tmp/o");
  const slurm = parseSweepArgs(["--backend", "slurm", "spec.json", "--partition", "gpu", "--time=01:30:00", "--gpus", "1", "--cpus", "2", "--mem", "8G", "--max-concurrent", "4", "--sbatch-arg=--account=nlp", "--sbatch-arg", "--qos=short", "--supernet-backend", "tensorflow-gpu", "--wait", "--poll", "30"]);
  assert.equal(slurm.backend, "slurm");
  assert.ok(slurm.wait);
  assert.equal(slurm.pollSeconds, 30);
  assert.deepEqual(slurm.slurm, { partition: "gpu", time: "01:30:00", gpus: 1, cpusPerTask: 2, mem: "8G", maxConcurrent: 4, sbatchArgs: ["--account=nlp", "--qos=short"], backend: "tensorflow-gpu" });
  assert.ok(parseSweepArgs(["spec.json", "--backend", "slurm", "--status"]).status);
  const bad: [string[], RegExp][] = [
    [["spec.json", "--backend", "cloud"], /^--backend must be local or slurm; got "cloud"$/],
    [["spec.json", "--partition", "gpu"], /^--partition applies to --backend slurm only; got --backend local$/],
    [["spec.json", "--wait"], /^--wait applies to --backend slurm only/],
    [["spec.json", "--backend", "slurm", "--workers", "4"], /^--workers applies to --backend local only; got --backend slurm$/],
    [["spec.json", "--backend", "slurm", "--gpus", "two"], /^--gpus must be an integer >= 0; got "two"$/],
    [["spec.json", "--backend", "slurm", "--max-concurrent", "0"], /^--max-concurrent must be an integer >= 1; got "0"$/],
    [["spec.json", "--backend", "slurm", "--time", "90 min"], /^--time must be a Slurm time: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS; got "90 min"$/],
    [["spec.json", "--backend", "slurm", "--supernet-backend", "cuda"], /^--supernet-backend must be a SUPERNET_BACKEND value: one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu; got "cuda"$/],
    [["spec.json", "--backend", "slurm", "--sbatch-arg", "--array=1"], /^--sbatch-arg must be an option the sweep does not set itself/],
    [["spec.json", "--workers"], /^--workers needs a value$/],
    [["spec.json", "--wait=yes", "--backend", "slurm"], /^--wait takes no value/],
    [["spec.json", "--frobnicate"], /^unknown flag --frobnicate; flags: --backend, --out, --workers, --partition/],
    [[], /^expected one spec file, got none/],
    [["a.json", "b.json"], /^expected one spec file, got "a.json", "b.json"/],
    [["spec.json", "--partition", "a", "--partition", "b", "--backend", "slurm"], /^--partition given 2 times$/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseSweepArgs(argv), { message }, argv.join(" "));
});

test("an array task whose job is finished returns without training or logging a launch; a bad index names the range", async () => {
  const space = getSpace("tiny");
  const spec = validateSweepSpec({ name: "task", preset: "tiny", archs: [archKey(smallestArch(space)), archKey(largestArch(space))], updates: 1, seeds: [1], bleu: false, dataSeed: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slurm-task-"));
  try {
    const jobs = sweepJobs(spec);
    const tasks = writeTaskList(dir, { format: taskListFormat, specHash: "h".repeat(64), bleu: false, jobs });
    const record = { format: recordFormat, specHash: "h".repeat(64), job: jobs[1], result: { arch: jobs[1].arch, params: 1, flops: 2, validLoss: 3, perplexity: 20, bleu: null }, train: { updates: 1, finalTrainLoss: 4 }, seconds: 1, backend: "wasm", gitRevision: null, finishedAt: "2025-01-01T00:00:00.000Z" };
    const file = path.join(dir, `${jobs[1].id}.json`);
    fs.writeFileSync(file, JSON.stringify(record));
    const before = fs.statSync(file).mtimeMs;
    assert.equal(await runSlurmTask(tasks, 1, {}), "finished already");
    assert.equal(fs.statSync(file).mtimeMs, before);
    assert.ok(!fs.existsSync(path.join(dir, "launches.log")), "no launch was logged");
    await assert.rejects(runSlurmTask(tasks, 2, {}), /slurm task: index must be an integer in 0\.\.1; got 2/);
    await assert.rejects(runSlurmTask(tasks, NaN, {}), /index must be an integer in 0\.\.1; got NaN/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
