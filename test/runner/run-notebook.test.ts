import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listNotebooks, resolveNotebooks, runNotebook } from "../../src/runner/run-notebook";

test("a kernel that never starts is tried three times, then reported as a start-up failure naming it", async () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "run-notebook-"));
  const lines: string[] = [];
  const result = await runNotebook(listNotebooks()[0], { preset: "tiny", outDir, kernel: "no-such-kernel", onLog: (l) => lines.push(l) });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.cell, -1, "no cell ran");
  assert.match(result.message, /the no-such-kernel kernel did not start in 3 attempts/);
  assert.equal(lines.filter((l) => /kernel start \d of 3 failed/.test(l)).length, 2, "two retries logged");
  fs.rmSync(outDir, { recursive: true, force: true });
});

test("notebook names resolve by number or full name, and an unknown one lists the known ones", () => {
  const first = path.basename(listNotebooks()[0], ".ipynb");
  assert.deepEqual(resolveNotebooks([first.slice(0, 2)]), resolveNotebooks([first]));
  assert.throws(() => resolveNotebooks(["99-none"]), new RegExp(first));
});
