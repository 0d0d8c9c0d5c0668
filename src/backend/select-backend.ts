/**
 * Picks the fastest TensorFlow.js backend that really works here, in the order
 * tensorflow-gpu (@tensorflow/tfjs-node-gpu) > webgpu (Dawn, on a hardware adapter) > tensorflow
 * (@tensorflow/tfjs-node) > wasm > cpu, or the one SUPERNET_BACKEND forces, and reports why each
 * other one was skipped (webgpu on a software adapter is taken only when forced). wasm gets the
 * kernels it lacks and, where the 4.22 internals allow, SUPERNET_THREADS threads (default: one
 * per core); its matrix products run on OpenBLAS when the set-up built that addon (SUPERNET_BLAS). The choice is made once per process; later calls return the same report.
 */
import * as tf from "@tensorflow/tfjs";
import { availableParallelism } from "os";
import { BackendName, backendEnvVar, backendNames, parseBackendName, parseThreads, threadsEnvVar } from "./backend-name";
import { RequireModule, nativeModules, nativeUnavailable } from "./native-backend";
import { BlasStatus, initBlas } from "./blas";
import { registerWasmKernels } from "./wasm-kernels";
import { MallocModule, guardWasmMalloc } from "./wasm-heap";
import { ImportModule, WebgpuAdapterReport, tryWebgpu } from "./webgpu";
import { installThreadedWasm, restoreSingleThreadWasm, wasmThreadsInUse } from "./wasm-threads";

/** Whether one candidate was chosen or skipped, and why. */
export interface BackendReason {
  readonly candidate: BackendName;
  readonly outcome: "chosen" | "skipped";
  readonly why: string;
}

/** What `selectBackend` chose and why. */
export interface BackendReport {
  /** The chosen candidate. */
  readonly name: BackendName;
  /** The tfjs backend name in use (tensorflow, wasm, cpu). */
  readonly tfBackend: string;
  /** One entry per candidate tried or passed over, in preference order. */
  readonly reasons: readonly BackendReason[];
  /** Threads the backend computes with (native: the cores libtensorflow sizes its pools by). */
  readonly threads: number;
  /** Why wasm runs on fewer threads than asked; absent when it runs as asked. */
  readonly threadsNote?: string;
  /** Whether wasm runs its SIMD build; absent for other backends. */
  readonly simd?: boolean;
  /** Whether wasm's matrix products run on OpenBLAS, and why (not); absent for other backends. */
  readonly blas?: BlasStatus;
  /** The WebGPU adapter Dawn offered, whether webgpu was chosen or skipped for it; absent when none was found. */
  readonly adapter?: WebgpuAdapterReport;
  /** Version of @tensorflow/tfjs. */
  readonly tfjsVersion: string;
}

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /** Force one backend (overrides SUPERNET_BACKEND). */
  readonly prefer?: BackendName;
  /** wasm threads (overrides SUPERNET_THREADS; default one per available core). */
  readonly threads?: number;
  /** Module loader, injectable so tests can simulate missing, alias and working native modules. */
  readonly requireModule?: RequireModule;
  /** ES module loader for the WebGPU packages, injectable like `requireModule`. */
  readonly importModule?: ImportModule;
  /** Select again even if a backend was already selected in this process. */
  readonly force?: boolean;
  /** Environment to read SUPERNET_BACKEND and SUPERNET_THREADS from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface Attempt {
  readonly why: string | null;
  readonly threads: number;
  readonly threadsNote?: string;
  readonly simd?: boolean;
  readonly blas?: BlasStatus;
  readonly adapter?: WebgpuAdapterReport;
}

let cached: BackendReport | null = null;
let pending: Promise<BackendReport> | null = null;

async function setBackendSafely(name: string): Promise<string | null> {
  try {
    if (!(await tf.setBackend(name))) return `tf.setBackend("${name}") returned false`;
    await tf.ready();
    return null;
  } catch (err) {
    return `initialising ${name} failed: ${(err as Error).message}`;
  }
}

async function tryWasm(requireModule: RequireModule, threads: number, env: Readonly<Record<string, string | undefined>>): Promise<Attempt> {
  try {
    requireModule("@tensorflow/tfjs-backend-wasm");
  } catch (err) {
    return { why: `@tensorflow/tfjs-backend-wasm failed to load: ${(err as Error).message.split("\n")[0]}`, threads: 0 };
  }
  registerWasmKernels();
  const install = await installThreadedWasm(threads);
  let note = threads > 1 ? install.why : "";
  let why = await setBackendSafely("wasm");
  if (why !== null && install.installed) {
    restoreSingleThreadWasm();
    note = `the threaded wasm backend failed to initialise (${why})`;
    why = await setBackendSafely("wasm");
  }
  if (why !== null) return { why, threads: 0 };
  const module = (tf.findBackend("wasm") as { wasm?: Partial<MallocModule> } | undefined)?.wasm;
  if (typeof module?._malloc === "function") guardWasmMalloc(module as MallocModule);
  const inUse = wasmThreadsInUse();
  if (inUse < threads && note === "") note = `tfjs reports ${inUse} of ${threads} threads`;
  const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
  const blas = initBlas(threads, env);
  return { why: null, threads: inUse, simd, blas, ...(note ? { threadsNote: note } : {}) };
}

interface CandidateContext {
  readonly requireModule: RequireModule;
  readonly importModule?: ImportModule;
  readonly threads: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly forced: boolean;
}

async function tryCandidate(candidate: BackendName, { requireModule, importModule, threads, env, forced }: CandidateContext): Promise<Attempt> {
  if (candidate === "tensorflow-gpu" || candidate === "tensorflow") {
    // Both native packages register the same "tensorflow" backend; only the module differs.
    const why = nativeUnavailable(nativeModules[candidate], requireModule) ?? (await setBackendSafely("tensorflow"));
    return { why, threads: availableParallelism() };
  }
  if (candidate === "webgpu") {
    const attempt = await tryWebgpu(forced, importModule);
    return { why: attempt.why, threads: 1, ...(attempt.adapter ? { adapter: attempt.adapter } : {}) };
  }
  if (candidate === "wasm") return tryWasm(requireModule, threads, env);
  return { why: await setBackendSafely("cpu"), threads: 1 };
}

async function select(options: SelectBackendOptions): Promise<BackendReport> {
  const env = options.env ?? process.env;
  const requireModule = options.requireModule ?? ((name: string) => require(name));
  const forcedBy = options.prefer !== undefined ? "options.prefer" : backendEnvVar;
  const forcedValue = options.prefer ?? (env[backendEnvVar] || undefined);
  const forced = forcedValue === undefined ? undefined : parseBackendName(forcedValue, forcedBy);
  const threads = options.threads ?? parseThreads(env[threadsEnvVar], threadsEnvVar);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`options.threads must be a positive integer; got ${threads}`);
  const reasons: BackendReason[] = [];
  let adapter: WebgpuAdapterReport | undefined;
  for (const candidate of backendNames) {
    if (forced !== undefined && candidate !== forced) {
      reasons.push({ candidate, outcome: "skipped", why: `${forcedBy}=${forced}` });
      continue;
    }
    const attempt = await tryCandidate(candidate, { requireModule, importModule: options.importModule, threads, env, forced: forced !== undefined });
    adapter = attempt.adapter ?? adapter;
    if (attempt.why !== null) {
      reasons.push({ candidate, outcome: "skipped", why: attempt.why });
      if (forced !== undefined) throw new Error(`${forcedBy}=${forced} cannot be used: ${attempt.why}`);
      continue;
    }
    reasons.push({ candidate, outcome: "chosen", why: forced !== undefined ? `forced by ${forcedBy}` : "fastest that works" });
    return {
      name: candidate,
      tfBackend: tf.getBackend(),
      reasons,
      threads: attempt.threads,
      ...(attempt.threadsNote !== undefined ? { threadsNote: attempt.threadsNote } : {}),
      ...(attempt.simd !== undefined ? { simd: attempt.simd } : {}),
      ...(attempt.blas !== undefined ? { blas: attempt.blas } : {}),
      ...(adapter !== undefined ? { adapter } : {}),
      tfjsVersion: tf.version.tfjs,
    };
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${reasons.map((r) => `${r.candidate}: ${r.why}`).join("; ")}`);
}

/** Selects and initialises the backend; the report is cached per process unless `force`. */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendReport> {
  // Concurrent callers wait for the selection in flight instead of racing tf.setBackend.
  while (pending) await pending.catch(() => undefined);
  if (cached && !options.force) {
    if (tf.getBackend() !== cached.tfBackend) await tf.setBackend(cached.tfBackend);
    return cached;
  }
  pending = select(options);
  try {
    cached = await pending;
    return cached;
  } finally {
    pending = null;
  }
}
