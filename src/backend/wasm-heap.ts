/**
 * The wasm backend's heap limit, made a clear error. tfjs-wasm's heap is 32-bit (at most 4 GiB)
 * and tfjs 4.22 never checks what its `_malloc` returns: a failed allocation gives offset 0, and
 * the tensor written there overwrites the allocator's own state at the bottom of the heap. Seen
 * here: the largest `paper` subnet on a 1,024-token batch then spun forever inside `free`, on a
 * lock the overwrite had set. A request of 4 GiB or more is worse still: the size wraps modulo
 * 2^32 and a much smaller block comes back. The guard below wraps the module's `_malloc` so both
 * cases throw instead, naming the limit and what to change.
 */

/** The wasm32 address space: the most a tfjs-wasm heap can hold. */
export const wasmHeapLimitBytes = 2 ** 32;

/** The part of the Emscripten module the guard touches. */
export interface MallocModule {
  _malloc(bytes: number): number;
  HEAPU8?: { readonly buffer: ArrayBufferLike };
  wasmMemory?: { readonly buffer: ArrayBufferLike };
}

const guardedMark = Symbol.for("supernet-lab.guarded-wasm-malloc");

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The error for an allocation of `bytes` the heap cannot serve. */
export function heapExhaustedError(bytes: number, heapBytes: number | null): Error {
  const state = heapBytes === null ? "" : ` with the heap at ${mib(heapBytes)}`;
  return new Error(
    `wasm backend: out of memory: an allocation of ${mib(bytes)} failed${state}; tfjs-wasm's heap holds at most ${mib(wasmHeapLimitBytes)} ` +
      "(32-bit wasm). Use smaller batches (the preset's maxTokens), a smaller space or subnet, or a GPU backend (SUPERNET_BACKEND=webgpu or tensorflow-gpu).",
  );
}

/**
 * Makes the module's `_malloc` throw `heapExhaustedError` instead of returning 0 or a wrapped size
 * (idempotent). Emscripten's `_malloc` replaces itself with the raw export on its first call, so
 * the wrapper calls whatever the module holds underneath and puts itself back afterwards.
 */
export function guardWasmMalloc(module: MallocModule): void {
  const current = module._malloc as MallocModule["_malloc"] & { [guardedMark]?: true };
  if (current[guardedMark]) return;
  let inner = current;
  const guarded = Object.assign(
    function (this: unknown, bytes: number): number {
      if (bytes >= wasmHeapLimitBytes) throw heapExhaustedError(bytes, heapBytes(module));
      const offset = inner.call(this, bytes);
      if (module._malloc !== guarded) {
        inner = module._malloc;
        module._malloc = guarded;
      }
      if (offset === 0 && bytes > 0) throw heapExhaustedError(bytes, heapBytes(module));
      return offset;
    },
    { [guardedMark]: true as const },
  );
  module._malloc = guarded;
}

function heapBytes(module: MallocModule): number | null {
  const buffer = module.wasmMemory?.buffer ?? module.HEAPU8?.buffer;
  return buffer ? buffer.byteLength : null;
}
