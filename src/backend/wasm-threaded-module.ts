/**
 * Building tfjs-backend-wasm 4.22's threaded-SIMD Emscripten module under Node. tfjs's own
 * loader cannot (it hands the pthread workers Blob URLs, which worker_threads cannot run), but
 * the glue shipped in the package's wasm-out/ can, given its pthread worker script as a file and
 * its own path for the workers to load. The C++ side caps XNNPACK's pool at (logical cores / 2),
 * assuming hyper-threading, so the module is told it has 2n cores to let n threads through.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Emscripten's pthread bookkeeping, as far as we use it. */
export interface PThreadPool {
  runningWorkers: { unref(): void }[];
  unusedWorkers: { unref(): void }[];
  terminateAllThreads(): void;
}

/** The Emscripten module, as far as we use it. */
export interface EmscriptenModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: unknown[]) => unknown;
  tfjs?: Record<string, (...args: unknown[]) => unknown>;
  PThread?: PThreadPool;
}

/** Where the threaded build's pieces live in the installed package. */
export interface ThreadedBuildFiles {
  /** The Emscripten JS glue (wasm-out/tfjs-backend-wasm-threaded-simd.js). */
  readonly glue: string;
  /** The wasm binary. */
  readonly binary: string;
  /** The pthread worker script, written out as a file. */
  readonly worker: string;
}

type WasmImports = { env: Record<string, unknown> };
type Receive = (instance: object, module: object) => void;

/** The global WebAssembly API (typed locally: the DOM lib of every TS version we meet does not declare it). */
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: object; module: object }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** Locates the threaded build in an installed tfjs-backend-wasm and writes its worker script; null if the layout differs. */
export function threadedBuildFiles(version: string): ThreadedBuildFiles | null {
  const dir = path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
  const glue = path.join(dir, "wasm-out", "tfjs-backend-wasm-threaded-simd.js");
  const binary = path.join(dir, "dist", "tfjs-backend-wasm-threaded-simd.wasm");
  const workerModule = path.join(dir, "wasm-out", "tfjs-backend-wasm-threaded-simd.worker.js");
  if (![glue, binary, workerModule].every((f) => fs.existsSync(f))) return null;
  const source = (require(workerModule) as { wasmWorkerContents?: string }).wasmWorkerContents;
  if (typeof source !== "string") return null;
  return { glue, binary, worker: writeWorkerScript(source, version) };
}

/** Writes Emscripten's pthread worker script where worker_threads can load it; returns its path. */
function writeWorkerScript(source: string, version: string): string {
  // The package stores the script as a template literal, whose "\n" escapes became newlines inside
  // JS string literals; tfjs's own loader re-escapes them the same way.
  const script = source.replace(/\n/g, "\\n");
  const hash = createHash("sha256").update(script).digest("hex").slice(0, 12);
  const file = path.join(os.tmpdir(), `supernet-lab-tfjs-wasm-${version}-${hash}.worker.js`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script);
    fs.renameSync(tmp, file);
  }
  return file;
}

/**
 * Runs `start` with worker_threads' Worker creating workers without the parent's execArgv: the
 * glue spawns its 8 pthread workers synchronously, and under tsx each would otherwise load the
 * TypeScript loader it does not need (1.2 s instead of 0.1 s).
 */
function withLeanWorkers<T>(start: () => T): T {
  const threads = require("worker_threads") as { Worker: new (file: string, options?: Record<string, unknown>) => object };
  const Original = threads.Worker;
  threads.Worker = class extends Original {
    constructor(file: string, options?: Record<string, unknown>) {
      super(file, { execArgv: [], ...options });
    }
  };
  try {
    return start();
  } finally {
    threads.Worker = Original;
  }
}

/** Instantiates the threaded module with `threads` threads available to XNNPACK. */
export function buildThreadedModule(files: ThreadedBuildFiles, threads: number, timeoutMs: number): Promise<EmscriptenModule> {
  const { glue, binary, worker } = files;
  const factory = require(glue) as (config: Record<string, unknown>) => Promise<EmscriptenModule>;
  const config: Record<string, unknown> = {};
  return new Promise<EmscriptenModule>((resolve, reject) => {
    const timer = setTimeout(() => {
      (config.PThread as PThreadPool | undefined)?.terminateAllThreads();
      reject(new Error(`the threaded module did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (err: unknown) => {
      clearTimeout(timer);
      (config.PThread as PThreadPool | undefined)?.terminateAllThreads();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    config.locateFile = (file: string, prefix: string) => (file.endsWith(".worker.js") ? worker : file.endsWith(".wasm") ? binary : prefix + file);
    config.mainScriptUrlOrBlob = glue;
    config.onAbort = (what: unknown) => fail(new Error(`the threaded module aborted: ${String(what)}`));
    config.instantiateWasm = (imports: WasmImports, receive: Receive) => {
      if (typeof imports.env?.emscripten_num_logical_cores !== "function") {
        fail(new Error("the threaded module's imports differ from 4.22.0 (no emscripten_num_logical_cores)"));
        return {};
      }
      // The C++ side caps the pool at logical cores / 2 (it assumes hyper-threading): report 2n.
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      webAssembly.instantiate(fs.readFileSync(binary), imports).then(
        ({ instance, module }) => receive(instance, module),
        fail,
      );
      return {};
    };
    withLeanWorkers(() => factory(config)).then((module) => {
      clearTimeout(timer);
      resolve(module);
    }, fail);
  });
}

/** Attaches the C API that BackendWasm expects, exactly as tfjs 4.22's init() does. */
export function attachTfjsApi(module: EmscriptenModule): void {
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
}
