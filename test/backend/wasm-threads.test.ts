import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import { installThreadedWasm } from "../../src/backend/index";

const backendModule = path.resolve(__dirname, "../../src/backend/index.ts");

/** Runs a script in a fresh Node process (thread settings are fixed once per process); returns its JSON line. */
function runChild(script: string): Record<string, unknown> {
  const child = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    cwd: path.resolve(__dirname, "../.."),
    env: { ...process.env, BACKEND_MODULE: backendModule },
    encoding: "utf8",
    // A threaded backend whose workers kept the event loop alive would hang here.
    timeout: 60_000,
  });
  assert.equal(child.status, 0, `child exited with ${child.status} (signal ${child.signal}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop() as string);
}

test("2 wasm threads start under Node, compute what cpu computes, and let the process exit", () => {
  const out = runChild(`
    const tf = require("@tensorflow/tfjs");
    const { selectBackend } = require(process.env.BACKEND_MODULE);
    (async () => {
      const report = await selectBackend({ threads: 2 });
      const a = tf.tensor2d(Float32Array.from({ length: 300 * 200 }, (_, i) => Math.sin(i)), [300, 200]);
      const b = tf.tensor2d(Float32Array.from({ length: 200 * 100 }, (_, i) => Math.cos(i)), [200, 100]);
      const onWasm = tf.matMul(a, b).dataSync();
      const a2 = a.arraySync(), b2 = b.arraySync();
      await tf.setBackend("cpu");
      const onCpu = tf.matMul(tf.tensor2d(a2), tf.tensor2d(b2)).dataSync();
      let maxErr = 0;
      for (let i = 0; i < onCpu.length; i++) maxErr = Math.max(maxErr, Math.abs(onWasm[i] - onCpu[i]));
      console.log(JSON.stringify({ name: report.name, threads: report.threads, note: report.threadsNote ?? null, maxErr }));
    })();
  `);
  assert.equal(out.name, "wasm");
  assert.equal(out.threads, 2, `note: ${out.note}`);
  assert.ok((out.maxErr as number) < 1e-3, `max error ${out.maxErr}`);
});

test("a wasm backend initialised before selectBackend stays single-threaded, and the report says why", () => {
  const out = runChild(`
    const tf = require("@tensorflow/tfjs");
    require("@tensorflow/tfjs-backend-wasm");
    const { selectBackend } = require(process.env.BACKEND_MODULE);
    (async () => {
      await tf.setBackend("wasm");
      const report = await selectBackend({ threads: 2 });
      console.log(JSON.stringify({ name: report.name, threads: report.threads, note: report.threadsNote ?? null }));
    })();
  `);
  assert.equal(out.name, "wasm");
  assert.equal(out.threads, 1);
  assert.match(String(out.note), /initialised before selectBackend/);
});

test("a tensor made before selectBackend starts tfjs's own wasm init; selection waits for it and reports it truthfully", () => {
  const out = runChild(`
    const tf = require("@tensorflow/tfjs");
    require("@tensorflow/tfjs-backend-wasm");
    const { selectBackend } = require(process.env.BACKEND_MODULE);
    (async () => {
      try { tf.scalar(1); } catch (err) { /* "wasm has not yet been initialized": its init is now pending */ }
      const report = await selectBackend({ threads: 2 });
      const inUse = tf.findBackend("wasm").wasm.tfjs.getThreadsCount();
      console.log(JSON.stringify({ name: report.name, threads: report.threads, inUse, note: report.threadsNote ?? null }));
    })();
  `);
  assert.equal(out.name, "wasm");
  assert.equal(out.threads, out.inUse);
  assert.equal(out.threads, 1);
  assert.match(String(out.note), /initialised before selectBackend/);
});

test("installThreadedWasm checks its argument and does nothing for one thread", async () => {
  await assert.rejects(installThreadedWasm(0), /installThreadedWasm: threads must be a positive integer; got 0/);
  assert.deepEqual(await installThreadedWasm(1), { installed: false, threads: 1, why: "1 thread requested" });
});
