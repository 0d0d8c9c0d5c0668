import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SweepJob, readRecord, recordFormat } from "../../src/sweep/index";
import { removeStaleTemps } from "../../src/sweep/stale-temps";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-record-"));
const job: SweepJob = { id: "a01-s2", index: 3, arch: "e32x2[64,64|2,2]-d32x1[64|2|2|1]", seed: 2 };
const hash = "ab".repeat(32);
const good = {
  format: recordFormat,
  specHash: hash,
  job,
  result: { arch: job.arch, params: 47000, flops: 1e6, validLoss: 6.5, perplexity: 665.1, bleu: null },
  train: { updates: 3, finalTrainLoss: 7 },
  seconds: 3.2,
  backend: "wasm",
  gitRevision: null,
  finishedAt: "2026-01-01T00:00:00.000Z",
};

function check(content: string | object, bleu = false) {
  const file = path.join(dir, "r.json");
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  const c = readRecord(file, hash, job, bleu);
  return "record" in c ? "ok" : c.reason;
}

test("a complete record for the job counts as finished", () => {
  assert.equal(check(good), "ok");
  assert.equal(check({ ...good, result: { ...good.result, bleu: 12.5 } }, true), "ok");
});

test("a diverged run (NaN written as null) is finished and reads back as NaN", () => {
  const file = path.join(dir, "nan.json");
  fs.writeFileSync(file, JSON.stringify({ ...good, result: { ...good.result, validLoss: NaN, perplexity: NaN }, train: { updates: 3, finalTrainLoss: NaN } }));
  const c = readRecord(file, hash, job, false);
  assert.ok("record" in c);
  assert.ok(Number.isNaN(c.record.result.validLoss) && Number.isNaN(c.record.train.finalTrainLoss));
});

test("missing, partial, foreign or mismatched files do not count, with the reason", () => {
  assert.deepEqual(readRecord(path.join(dir, "none.json"), hash, job, false), { reason: "missing" });
  const text = JSON.stringify(good);
  assert.match(check(text.slice(0, text.length / 2)), /^not JSON/);
  assert.match(check(""), /^not JSON/);
  assert.match(check({ ...good, format: "other" }), /not a supernet-lab\/sweep-result@1 file/);
  assert.match(check({ ...good, specHash: "cd".repeat(32) }), /another sweep \(cdcdcdcd\)/);
  assert.match(check({ ...good, job: { ...job, seed: 1 } }), /not a01-s2/);
  assert.match(check({ ...good, result: { ...good.result, arch: "x" } }), /result is for arch x/);
  assert.match(check({ ...good, result: { ...good.result, params: "47000" } }), /lacks params/);
  assert.match(check(good, true), /lacks bleu/);
  assert.match(check({ ...good, result: { ...good.result, bleu: 3 } }), /bleu the spec did not ask for/);
  assert.match(check({ ...good, seconds: undefined }), /lacks train, seconds or backend/);
});

test("temp files of dead writers are removed, those of live ones kept", () => {
  const tdir = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-temps-"));
  const dead = `a00-s1.json.999999999.1700000000000.tmp`;
  const live = `a01-s1.json.${process.pid}.1700000000000.tmp`;
  for (const name of [dead, live, "a02-s1.json"]) fs.writeFileSync(path.join(tdir, name), "{");
  assert.deepEqual(removeStaleTemps(tdir), [dead]);
  assert.deepEqual(fs.readdirSync(tdir).sort(), [live, "a02-s1.json"].sort());
});
