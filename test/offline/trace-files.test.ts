/**
 * The tracer behind `npm run offline-pack` (scripts/offline/trace-files.mjs): a pack holds exactly
 * the files a traced run read, so a file the tracer misses is missing on the offline machine.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

const tracer = path.join(__dirname, "..", "..", "scripts", "offline", "trace-files.mjs");

/** Runs `entry` under the tracer; returns the files it recorded (CommonJS, fs and ES module lists). */
function trace(dir: string, entry: string): string[] {
  const list = path.join(dir, "files.txt");
  const r = spawnSync(process.execPath, ["--import", tracer, entry], { cwd: dir, encoding: "utf8", env: { ...process.env, TRACE_FILES_OUT: list } });
  assert.equal(r.status, 0, r.stderr);
  const esm = `${list}.esm`;
  return [list, esm].filter((f) => fs.existsSync(f)).flatMap((f) => fs.readFileSync(f, "utf8").split("\n")).filter((l) => l !== "");
}

test("the tracer records required, imported and read files, and nothing it did not load", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trace-files-"));
  try {
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
    write("helper.cjs", "module.exports = 2;\n");
    write("esm-only.mjs", "export const three = 3;\n");
    write("data.bin", "\u0001\u0002");
    write("unused.cjs", "module.exports = 'never loaded';\n");
    // The entry loads one file each way, as tfjs (require), Dawn's binding (import) and the
    // wasm binaries and prepared data (fs reads) are loaded by the bench.
    write(
      "entry.cjs",
      [
        "const fs = require('fs');",
        "const two = require('./helper.cjs');",
        "const bytes = fs.readFileSync(require('path').join(__dirname, 'data.bin'));",
        "import('./esm-only.mjs').then((m) => { if (two + m.three + bytes.length !== 7) process.exit(3); });",
      ].join("\n"),
    );
    const files = trace(dir, path.join(dir, "entry.cjs"));
    for (const name of ["entry.cjs", "helper.cjs", "esm-only.mjs", "data.bin"]) {
      assert.ok(files.includes(path.join(dir, name)), `${name} not recorded; got ${files.join(", ")}`);
    }
    assert.ok(!files.includes(path.join(dir, "unused.cjs")), "a file never loaded was recorded");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the tracer refuses to run without a file for its list", () => {
  const r = spawnSync(process.execPath, ["--import", tracer, "-e", "0"], { encoding: "utf8", env: { ...process.env, TRACE_FILES_OUT: "" } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /TRACE_FILES_OUT/);
});
