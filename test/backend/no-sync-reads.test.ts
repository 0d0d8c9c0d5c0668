/**
 * The library never reads a tensor synchronously where the backend cannot (webgpu in Node throws
 * on `dataSync`/`arraySync`): every read in src is awaited, except the few host paths that run
 * only on backends that read synchronously, listed here with the guard that keeps them there.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

/** File -> number of synchronous reads it may hold, each behind `syncReadsUnavailable()` / host dispatch. */
const guarded: Record<string, number> = {
  // clipByGlobalNorm reads the norm only where reads are free; webgpu clips on the device.
  "src/train/gradients.ts": 1,
  // hostDispatch (indices, entropy, mean probabilities); webgpu takes deviceDispatch.
  "src/moe/moe-ffn.ts": 3,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

test("src reads tensors synchronously only on the guarded host paths", () => {
  const found: Record<string, number> = {};
  for (const file of sourceFiles("src")) {
    // Comments may name the calls; code may not.
    const code = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    const n = (code.match(/\.(dataSync|arraySync|bufferSync)\(/g) ?? []).length;
    if (n > 0) found[file.split(path.sep).join("/")] = n;
  }
  assert.deepEqual(found, guarded);
});
