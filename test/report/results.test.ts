import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimate, estimateViolations, findEstimates, openResults, readResults, resultsFormat } from "../../src/report/results";

/** Runs `fn` with results files going to a fresh temporary folder, removed afterwards. */
function withResultsDir(fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "supernet-results-"));
  const before = process.env.SUPERNET_RESULTS_DIR;
  process.env.SUPERNET_RESULTS_DIR = dir;
  try {
    fn(dir);
  } finally {
    if (before === undefined) delete process.env.SUPERNET_RESULTS_DIR;
    else process.env.SUPERNET_RESULTS_DIR = before;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("record writes every value through to the file at once, leaving no temporary file", () => {
  withResultsDir((dir) => {
    const results = openResults("00-example", "tiny");
    assert.equal(results.file, path.join(dir, "00-example.json"));
    const onDisk = () => JSON.parse(fs.readFileSync(results.file, "utf8"));
    assert.deepEqual(onDisk().entries, {});
    assert.equal(onDisk().format, resultsFormat);
    assert.equal(onDisk().provenance.preset, "tiny");

    assert.equal(results.record("loss", 1.5), 1.5);
    assert.deepEqual(onDisk().entries, { loss: 1.5 });
    results.record("findings", ["loss falls"]);
    results.record("loss", 1.25);
    assert.deepEqual(onDisk().entries, { loss: 1.25, findings: ["loss falls"] });
    assert.equal(results.get("loss"), 1.25);
    assert.deepEqual(fs.readdirSync(dir), ["00-example.json"]);
    assert.deepEqual(readResults("00-example", "tiny").entries, { loss: 1.25, findings: ["loss falls"] });
  });
});

test("record and the constructor reject an empty key and an unsafe notebook name", () => {
  withResultsDir(() => {
    assert.throws(() => openResults("../escape", "tiny"), /file-safe name.*"\.\.\/escape"/);
    assert.throws(() => openResults("00-example", "tiny").record("", 1), /key must be a non-empty string/);
  });
});

test("readResults names the file and what is wrong: missing, not JSON, wrong format", () => {
  withResultsDir((dir) => {
    assert.throws(() => readResults("01-none", "tiny"), /01-none\.json does not exist: run notebook 01-none on preset tiny/);
    fs.writeFileSync(path.join(dir, "02-broken.json"), "{ not json");
    assert.throws(() => readResults("02-broken", "tiny"), /02-broken\.json is not JSON/);
    fs.writeFileSync(path.join(dir, "03-old.json"), JSON.stringify({ format: "supernet-lab/notebook-results@0", entries: {} }));
    assert.throws(() => readResults("03-old", "tiny"), /03-old\.json has format "supernet-lab\/notebook-results@0", expected supernet-lab\/notebook-results@1/);
  });
});

test("estimateViolations accepts a correct estimate and catches an interval that does not contain it", () => {
  assert.deepEqual(estimateViolations({ tau: estimate(0.41, [0.12, 0.66], 24) }), []);
  assert.deepEqual(estimateViolations({ tau: estimate(0.41, [0.41, 0.41], 1) }), [], "a degenerate interval at the estimate is allowed");
  assert.deepEqual(estimateViolations({ rows: [{ tau: estimate(0.7, [0.12, 0.66], 24) }] }), ["$.rows[0].tau: interval [0.12, 0.66] does not contain 0.7"]);
  assert.deepEqual(estimateViolations(estimate(Number.NaN, [0, 1], 3)), ["$: interval [0, 1] does not contain NaN"]);
  assert.deepEqual(estimateViolations(estimate(0.5, [0, 1], 0, 1)), ["$: n must be a positive integer, got 0", "$: level must be in (0, 1), got 1"]);
});

test("findEstimates finds estimates at any depth with their JSON path", () => {
  const e = estimate(1, [0, 2], 5);
  assert.deepEqual(findEstimates({ a: { b: [3, e] }, c: "x" }).map((f) => f.path), ["$.a.b[1]"]);
  assert.deepEqual(findEstimates({ estimate: 1 }), [], "an object without ci and n is not an estimate");
});
