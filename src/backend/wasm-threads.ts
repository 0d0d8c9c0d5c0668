/**
 * Multithreaded tfjs wasm under Node. tfjs-backend-wasm 4.22 turns threads off under Node: its
 * WASM_HAS_MULTITHREAD_SUPPORT flag returns false when IS_NODE (tfjs issue 3830), because its
 * loader hands Emscripten's pthread workers Blob URLs, which Node's worker_threads cannot run.
 * We build the threaded-SIMD module ourselves (wasm-threaded-module.ts) and register it as the
 * "wasm" backend, with tfjs's own BackendWasm class on top. The glue `ref()`s every worker that
 * runs a pthread, so the pool's idle threads would keep Node alive after the program ends: they
 * are unref'd once the pool exists. All of this is pinned to 4.22.0 internals; any mismatch
 * leaves wasm single-threaded with the reason recorded, never broken.
 */
import * as tf from "@tensorflow/tfjs";
import { attachTfjsApi, buildThreadedModule, EmscriptenModule, threadedBuildFiles } from "./wasm-threaded-module";

/** The tfjs-backend-wasm version whose internals this module relies on. */
export const pinnedWasmVersion = "4.22.0";
/** Most threads the 4.22 build can use: it pre-spawns 8 pthread workers and caps XNNPACK at 8. */
export const maxWasmThreads = 8;

/** Outcome of `installThreadedWasm`. */
export interface ThreadedWasmResult {
  /** True when the threaded module is registered as the "wasm" backend. */
  readonly installed: boolean;
  /** Threads the backend will use (1 when not installed). */
  readonly threads: number;
  /** Why threads are off or fewer than asked; empty when all is as asked. */
  readonly why: string;
}

interface WasmPackage {
  version_wasm: string;
  BackendWasm: new (module: never) => tf.KernelBackend;
  setThreadsCount(n: number): void;
}

// tfjs types findBackendFactory as never null, but it returns null for an unknown name.
type BackendFactory = ReturnType<typeof tf.findBackendFactory> | null;
const wasmPriority = 2;
let installed: { threads: number; module: EmscriptenModule; original: BackendFactory } | null = null;

function single(why: string): ThreadedWasmResult {
  return { installed: false, threads: 1, why };
}

/** Registers a threaded-SIMD build as the "wasm" backend (for the next tf.setBackend); must run before wasm is first initialised. */
export async function installThreadedWasm(threads: number, timeoutMs = 30_000): Promise<ThreadedWasmResult> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`installThreadedWasm: threads must be a positive integer; got ${threads}`);
  if (installed) return { installed: true, threads: installed.threads, why: threads === installed.threads ? "" : `threads were fixed at ${installed.threads} when the backend was installed` };
  if (threads === 1) return single("1 thread requested");
  // A tensor made before any backend was chosen starts tfjs's own wasm init in the background;
  // let it land first, or it could take the registry slot after we swap the factory.
  const pending = (tf.engine() as unknown as { pendingBackendInit?: Promise<boolean> | null }).pendingBackendInit;
  if (pending) await pending.catch(() => false);
  if (tf.findBackend("wasm") != null) return single("the wasm backend was initialised before selectBackend; its thread count is fixed for this process");
  let pkg: WasmPackage;
  try {
    pkg = require("@tensorflow/tfjs-backend-wasm") as WasmPackage;
  } catch (err) {
    return single(`@tensorflow/tfjs-backend-wasm failed to load: ${(err as Error).message}`);
  }
  if (pkg.version_wasm !== pinnedWasmVersion) return single(`wasm threads rely on tfjs-backend-wasm ${pinnedWasmVersion} internals; installed is ${pkg.version_wasm}`);
  if (typeof SharedArrayBuffer === "undefined") return single("SharedArrayBuffer is unavailable in this runtime");
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) return single("this runtime lacks wasm SIMD, which the threaded binary needs");
  const n = Math.min(threads, maxWasmThreads);
  let module: EmscriptenModule;
  try {
    const files = threadedBuildFiles(pkg.version_wasm);
    if (files === null) return single(`the threaded build is not where tfjs-backend-wasm ${pinnedWasmVersion} keeps it`);
    module = await buildThreadedModule(files, n, timeoutMs);
    attachTfjsApi(module);
  } catch (err) {
    return single(`the threaded wasm module failed to start: ${(err as Error).message}`);
  }
  const pool = module.PThread;
  const original = tf.findBackendFactory("wasm") as BackendFactory;
  if (original) tf.removeBackend("wasm");
  pkg.setThreadsCount(n);
  tf.registerBackend(
    "wasm",
    () => {
      const backend = new pkg.BackendWasm(module as never);
      // The pool's threads wait forever for work; unref'd, they no longer keep Node alive.
      for (const worker of [...(pool?.runningWorkers ?? []), ...(pool?.unusedWorkers ?? [])]) worker.unref();
      return backend;
    },
    wasmPriority,
  );
  installed = { threads: n, module, original };
  return { installed: true, threads: n, why: n < threads ? `capped at ${maxWasmThreads}, the pthread pool of the 4.22 build` : "" };
}

/** Puts tfjs's own single-threaded wasm factory back (after a threaded backend failed to initialise). */
export function restoreSingleThreadWasm(): void {
  if (!installed) return;
  const { module, original } = installed;
  installed = null;
  if ((tf.findBackendFactory("wasm") as BackendFactory) !== null) tf.removeBackend("wasm");
  if (original) tf.registerBackend("wasm", original, wasmPriority);
  module.PThread?.terminateAllThreads();
}

/** Threads of the initialised wasm backend, read from its own module (1 if none is initialised). */
export function wasmThreadsInUse(): number {
  // tfjs's getThreadsCount() is one module-wide number written by the last BackendWasm built,
  // which need not be the backend in the registry; ask the registered backend's module instead.
  const backend = tf.findBackend("wasm") as { wasm?: EmscriptenModule } | null;
  const count = backend?.wasm?.tfjs?.getThreadsCount?.();
  return typeof count === "number" && count > 0 ? count : 1;
}
