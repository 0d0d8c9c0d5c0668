import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";

const root = path.resolve(__dirname, "..", "..");

test("the runner exits non-zero on a broken notebook, naming the notebook, the cell and tslab's real message", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "nb-broken-"));
  const run = spawnSync("npx", ["--no-install", "tsx", "scripts/run-notebooks.ts", "test/fixtures/notebooks/broken.ipynb", "--preset", "tiny", "--out", out], { cwd: root, encoding: "utf8", timeout: 180_000 });
  assert.equal(run.status, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /FAILED broken, cell 2/);
  assert.match(run.stderr, /preset must be one of tiny, small, paper; got "huge"/);
  const executed = JSON.parse(fs.readFileSync(path.join(out, "broken.ipynb"), "utf8")) as { cells: { outputs?: { text?: string[] }[] }[] };
  const firstOutput = (executed.cells[1].outputs ?? []).flatMap((o) => o.text ?? []).join("");
  assert.match(firstOutput, /answer 42/, "cells before the failure keep their outputs");
  assert.equal((executed.cells[3].outputs ?? []).length, 0, "no cell after the failure ran");
});

test("an unknown notebook name is an error listing the known ones", () => {
  const run = spawnSync("npx", ["--no-install", "tsx", "scripts/run-notebooks.ts", "99-nothing", "--preset", "tiny"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /no notebook named "99-nothing"; known: 00-quickstart/);
});

test("a bad preset is rejected with the allowed values", () => {
  const run = spawnSync("npx", ["--no-install", "tsx", "scripts/run-notebooks.ts", "--preset", "huge"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--preset must be one of tiny, small, paper; got "huge"/);
});

test("a cell that floods display updates (progress bars in a synchronous loop) does not kill the kernel", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "nb-flood-"));
  const run = spawnSync("npx", ["--no-install", "tsx", "scripts/run-notebooks.ts", "test/fixtures/notebooks/display-flood.ipynb", "--preset", "tiny", "--out", out], { cwd: root, encoding: "utf8", timeout: 180_000 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const executed = JSON.parse(fs.readFileSync(path.join(out, "display-flood.ipynb"), "utf8")) as { cells: { outputs?: { text?: string[]; data?: Record<string, string[]> }[] }[] };
  const bars = (executed.cells[0].outputs ?? []).map((o) => (o.data?.["text/plain"] ?? []).join(""));
  assert.equal(bars.length, 3, "one display per progress bar, updated in place");
  for (const bar of bars) assert.match(bar, /300\/300 \(100%\)/);
  assert.match((executed.cells[1].outputs ?? []).flatMap((o) => o.text ?? []).join(""), /after/);
  // Sends still queued at shutdown must go out before the sockets close, not fail on them.
  assert.doesNotMatch(run.stdout + run.stderr, /Socket is closed|EBADF|Error:/);
});
