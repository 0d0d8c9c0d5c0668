/**
 * The wasm heap guard (src/backend/wasm-heap.ts): tfjs-wasm does not check `_malloc`, so a failed
 * allocation used to corrupt the heap (a training step of the largest `paper` subnet then hung).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { MallocModule, guardWasmMalloc, selectBackend, wasmHeapLimitBytes } from "../../src/backend/index";

/** A stand-in for the Emscripten module: a bump allocator over `capacity` bytes, returning 0 when full. */
function fakeModule(capacity: number, lazy = false) {
  const calls: number[] = [];
  let next = 16;
  const raw = (bytes: number) => {
    calls.push(bytes);
    if (next + bytes > capacity) return 0;
    const offset = next;
    next += bytes;
    return offset;
  };
  const module: MallocModule = { _malloc: raw, wasmMemory: { buffer: new ArrayBuffer(capacity) } };
  // Emscripten's export starts as a thunk that swaps in the raw function on its first call.
  if (lazy) module._malloc = (bytes: number) => (module._malloc = raw)(bytes);
  return { module, calls, raw };
}

test("a failed allocation throws a message naming the limit and the remedies, instead of returning offset 0", () => {
  const { module } = fakeModule(1024);
  guardWasmMalloc(module);
  assert.equal(module._malloc(100), 16);
  assert.equal(module._malloc(0), 116);
  assert.throws(() => module._malloc(2000), (err: Error) => {
    assert.match(err.message, /out of memory: an allocation of 0 MiB failed with the heap at 0 MiB/);
    assert.match(err.message, /at most 4096 MiB/);
    assert.match(err.message, /maxTokens/);
    assert.match(err.message, /SUPERNET_BACKEND=webgpu/);
    return true;
  });
});

test("a request of 4 GiB or more throws before reaching malloc, whose 32-bit size would wrap", () => {
  const { module, calls } = fakeModule(1 << 20);
  guardWasmMalloc(module);
  assert.throws(() => module._malloc(wasmHeapLimitBytes + 64), /out of memory: an allocation of 4096 MiB failed/);
  assert.deepEqual(calls, []);
});

test("the guard survives Emscripten's self-replacing export and is installed once", () => {
  const { module, calls } = fakeModule(1 << 20, true);
  guardWasmMalloc(module);
  const guarded = module._malloc;
  module._malloc(8);
  assert.equal(module._malloc, guarded, "the thunk's swap removed the guard");
  module._malloc(8);
  guardWasmMalloc(module);
  assert.equal(module._malloc, guarded, "guarding twice wrapped twice");
  assert.deepEqual(calls, [8, 8]);
  const { module: full } = fakeModule(64, true);
  guardWasmMalloc(full);
  full._malloc(8);
  assert.throws(() => full._malloc(100), /out of memory/);
});

test("selectBackend guards the real wasm module: a 4 GiB request throws instead of returning a small block", async () => {
  const report = await selectBackend({ prefer: "wasm" });
  assert.equal(tf.getBackend(), "wasm", JSON.stringify(report));
  const module = (tf.backend() as unknown as { wasm: MallocModule }).wasm;
  assert.throws(() => module._malloc(wasmHeapLimitBytes), /out of memory/);
  // Ordinary allocations still work through the guard.
  const t = tf.ones([1000]);
  assert.equal((await t.sum().data())[0], 1000);
  t.dispose();
});
