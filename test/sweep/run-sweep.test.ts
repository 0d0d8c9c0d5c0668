import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { presetSchedule, translationDataOptions, translationPresets } from "../../src/config/translation-presets";
import { loadTranslationData } from "../../src/data/translation-data";
import { evaluateSubnets, representativeArchs } from "../../src/eval/subnet-table";
import { archFromKey, archKey, archParams, getBertSpace, getSpace } from "../../src/space/index";
import { bertPresets, bertSchedule, maskedLmLabelSmoothing } from "../../src/config/bert-presets";
import { loadMaskedLmData } from "../../src/data/bert/masked-lm-data";
import { evaluateLoss } from "../../src/eval/validation-loss";
import { makeSupernetConfig } from "../../src/supernet/config";
import { trainStandalone } from "../../src/train/standalone";
import { makeTrainConfig } from "../../src/train/trainer";
import { SweepError, SweepProgress, SweepSpec, loadSweepResults, runStandaloneSweep, sweepIdentity, sweepStatus } from "../../src/sweep/index";
import { useBackend } from "../helpers/backend";

useBackend();

// Three tiny subnets, three updates each: a job takes a few seconds in its own process.
const space = getSpace("tiny");
const archs = representativeArchs(space, 3, 7).map(archKey);
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-run-"));
const specOf = (name: string, overrides: Partial<SweepSpec> = {}): SweepSpec => ({ name, preset: "tiny", archs, updates: 3, seeds: [1], bleu: false, dataSeed: 1, ...overrides });

/** Job ids in launch order, from the sweep's launch log. */
function launches(spec: SweepSpec): string[] {
  const file = path.join(sweepIdentity(spec, outDir).dir, "launches.log");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(" ")[1]) : [];
}

/** Inode and mtime of each result file, to prove a file was not rewritten. */
function stamps(spec: SweepSpec, ids: string[]): Record<string, string> {
  const dir = sweepIdentity(spec, outDir).dir;
  return Object.fromEntries(ids.map((id) => {
    const s = fs.statSync(path.join(dir, `${id}.json`));
    return [id, `${s.ino}:${s.mtimeMs}`];
  }));
}

const temps = (spec: SweepSpec) => fs.readdirSync(sweepIdentity(spec, outDir).dir).filter((f) => f.endsWith(".tmp"));
const ids = ["a00-s1", "a01-s1", "a02-s1"];

test("a sweep writes every result, equal to training the subnet in-process, and a second run recomputes nothing", async () => {
  const spec = specOf("fresh");
  const seen: SweepProgress[] = [];
  const records = await runStandaloneSweep(spec, { outDir, workers: 2, onProgress: (p) => seen.push(p) });
  assert.deepEqual(records.map((r) => [r.job.id, r.result.arch]), ids.map((id, i) => [id, archs[i]]));
  assert.deepEqual(launches(spec).sort(), ids);
  assert.deepEqual(temps(spec), [], "no temp file is left behind");
  assert.ok(Math.max(...seen.map((p) => p.running)) === 2, "two workers ran at once");
  assert.deepEqual(seen[seen.length - 1], { done: 3, total: 3, cached: 0, running: 0, failed: 0 });

  // Oracle: the same subnet trained and evaluated in this process gives the same numbers.
  const p = translationPresets.tiny;
  const data = loadTranslationData(translationDataOptions(p, 1));
  const arch = representativeArchs(space, 3, 7)[1];
  const { model } = await trainStandalone(makeSupernetConfig(space, data.tokenizer.vocabSize), arch, data, makeTrainConfig({ schedule: presetSchedule(p, 3), seed: 1 }), 3, { seed: 1, showProgress: false });
  const [expected] = await evaluateSubnets(model, [arch], data, { bleu: null, space });
  assert.equal(records[1].result.params, expected.params);
  assert.ok(Math.abs(records[1].result.validLoss - expected.validLoss) < 1e-6, `${records[1].result.validLoss} vs ${expected.validLoss}`);

  const before = stamps(spec, ids);
  const again: SweepProgress[] = [];
  const second = await runStandaloneSweep(spec, { outDir, onProgress: (q) => again.push(q) });
  assert.deepEqual(second, records);
  assert.equal(launches(spec).length, 3, "no worker was launched");
  assert.deepEqual(stamps(spec, ids), before, "no result file was rewritten");
  assert.deepEqual(again, [{ done: 3, total: 3, cached: 3, running: 0, failed: 0 }]);
  assert.deepEqual(loadSweepResults(spec, outDir), records);
});

test("a corrupt result file is recomputed, and only it", async () => {
  const spec = specOf("fresh");
  const dir = sweepIdentity(spec, outDir).dir;
  const file = path.join(dir, "a01-s1.json");
  const text = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, text.slice(0, text.length >> 1));
  assert.deepEqual(sweepStatus(spec, outDir).pending.map((j) => [j.id, j.reason.slice(0, 8)]), [["a01-s1", "not JSON"]]);
  assert.equal(loadSweepResults(spec, outDir).length, 2);
  const before = stamps(spec, ["a00-s1", "a02-s1"]);
  const records = await runStandaloneSweep(spec, { outDir });
  assert.deepEqual(launches(spec).slice(3), ["a01-s1"]);
  assert.deepEqual(stamps(spec, ["a00-s1", "a02-s1"]), before);
  assert.equal(fs.readFileSync(file, "utf8"), text.replace(/"seconds": [^,]*,/, `"seconds": ${records[1].seconds},`).replace(/"finishedAt": "[^"]*"/, `"finishedAt": "${records[1].finishedAt}"`), "recomputed to the same result");
  assert.equal(sweepStatus(spec, outDir).done, 3);
});

test("an aborted sweep kills its workers, keeps finished results and resumes without recomputing them", async () => {
  const spec = specOf("aborted");
  const controller = new AbortController();
  // Abort as soon as the first result is in: the other worker is then mid-training.
  const run = runStandaloneSweep(spec, { outDir, workers: 2, signal: controller.signal, onProgress: (p) => p.done > 0 && controller.abort() });
  await assert.rejects(run, { name: "AbortError" });
  const launched = launches(spec);
  assert.equal(launched.length, 2, "no job was started after the abort");
  const pids = fs.readFileSync(path.join(sweepIdentity(spec, outDir).dir, "launches.log"), "utf8").trim().split("\n").map((l) => Number(l.split(" pid ")[1]));
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, `worker ${pid} is gone`);
  assert.deepEqual(temps(spec), []);
  const status = sweepStatus(spec, outDir);
  const finished = ids.filter((id) => !status.pending.some((j) => j.id === id));
  assert.ok(finished.length >= 1 && finished.length < 3, `finished ${finished}`);
  const before = stamps(spec, finished);

  const records = await runStandaloneSweep(spec, { outDir, workers: 2 });
  assert.equal(records.length, 3);
  assert.deepEqual(stamps(spec, finished), before, "finished results were not rewritten");
  for (const id of finished) assert.equal(launches(spec).filter((l) => l === id).length, 1, `${id} was launched once`);
  assert.deepEqual([...new Set(launches(spec))].sort(), ids);
  assert.equal(sweepStatus(spec, outDir).done, 3);
});

test("a failing worker is reported with its job id and stderr while the other jobs finish", async () => {
  // Two seeds of one arch; a folder where a00-s2's result goes makes that worker's rename fail.
  const spec = specOf("failing", { archs: [archs[1]], seeds: [1, 2] });
  const blocker = path.join(sweepIdentity(spec, outDir).dir, "a00-s2.json");
  fs.mkdirSync(path.join(blocker, "x"), { recursive: true });
  const err = await runStandaloneSweep(spec, { outDir }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof SweepError, String(err));
  assert.deepEqual(err.failures.map((f) => [f.job.id, f.exit]), [["a00-s2", "exit code 1"]]);
  assert.match(err.message, /1 of 2 jobs failed \(a00-s2\)/);
  assert.match(err.message, /rerun: cd .* --import tsx .*worker\.ts .*jobs\/a00-s2\.json/);
  assert.match(err.failures[0].stderrTail, /EISDIR|rename/);
  assert.equal(err.records[0]?.job.id, "a00-s1");
  assert.deepEqual(loadSweepResults(spec, outDir).map((r) => r.job.id), ["a00-s1"]);

  fs.rmSync(blocker, { recursive: true });
  const records = await runStandaloneSweep(spec, { outDir });
  assert.deepEqual(records.map((r) => [r.job.id, r.job.seed]), [["a00-s1", 1], ["a00-s2", 2]]);
  assert.deepEqual(launches(spec).sort(), ["a00-s1", "a00-s2", "a00-s2"]);
  assert.notEqual(records[0].result.validLoss, records[1].result.validLoss, "seeds differ");
});

test("a masked-LM sweep trains BERT subnets in workers, equal to pretraining the subnet in-process", async () => {
  const bert = getBertSpace("bert-tiny");
  const mlmArchs = representativeArchs(bert, 2, 3).map(archKey);
  const spec: SweepSpec = { name: "mlm", preset: "tiny", task: "masked-lm", archs: mlmArchs, updates: 3, seeds: [1], bleu: false, dataSeed: 1 };
  const records = await runStandaloneSweep(spec, { outDir, workers: 2 });
  assert.deepEqual(records.map((r) => r.result.arch), mlmArchs);
  for (const r of records) assert.ok(Number.isFinite(r.result.validLoss) && r.result.bleu === null && r.result.params > 0 && r.result.flops > 0, JSON.stringify(r.result));

  // Oracle: the same BERT subnet pretrained and scored here, with the BERT notebooks' settings.
  const b = bertPresets.tiny;
  const data = loadMaskedLmData({ vocabSize: b.vocabSize, maxLen: b.maxLen, maxTokens: b.maxTokens, trainSequences: b.trainSequences, validSequences: b.validSequences, seed: 1 });
  const arch = archFromKey(mlmArchs[1], bert);
  const config = makeTrainConfig({ schedule: bertSchedule(b, 3), labelSmoothing: maskedLmLabelSmoothing, seed: 1 });
  const { model } = await trainStandalone(makeSupernetConfig(bert, data.vocab.vocabSize), arch, data, config, 3, { seed: 1, showProgress: false });
  const expected = await evaluateLoss(model, arch, data.validBatches);
  assert.equal(records[1].result.params, archParams(bert, arch, data.vocab.vocabSize, { includeEmbeddings: false }));
  assert.ok(Math.abs(records[1].result.validLoss - expected.loss) < 1e-6, `${records[1].result.validLoss} vs ${expected.loss}`);
});
