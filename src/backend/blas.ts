/**
 * Native matrix products for the wasm backend: a small Node-API addon (native/blas, built by the
 * set-up with node-gyp against Debian's OpenBLAS) multiplies tensors in place on tfjs-wasm's
 * heap. OpenBLAS's sgemm reaches 2-3x XNNPACK-in-wasm on this machine kind, and it multiplies
 * transposed operands without the explicit copies the wasm path needs. When the addon is not
 * built, cannot load, or SUPERNET_BLAS=off, everything runs on the wasm kernels and `blasStatus`
 * says why. OpenBLAS picks its kernels for the CPU when it loads, unless OPENBLAS_CORETYPE names
 * them; when the variable is unset the library sets it from the CPU's flags first (see
 * `coreTypeFromFlags`). The status's `config` names the core in use. The same addon holds the
 * step's other costly kernels (native/blas/step-kernels.c): sums over leading or trailing axes
 * (`wasm-kernels.ts`), the fused softmax cross entropy (`ops/softmax-cross-entropy.ts`), layer norm
 * (`ops/layer-norm.ts`), dropout (`ops/dropout.ts`) and the fused Adam update (`train/adam-kernel.ts`).
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { readCpuFlags } from "../report/machine";
import { projectRoot } from "../util/paths";
import { asWasmInternals, WasmBackendInternals } from "./wasm-internals";

/** Environment variable that turns the native products off (off/0/false) or requires them (on/1/true). */
export const blasEnvVar = "SUPERNET_BLAS";

/** The addon's functions. Offsets and strides are in bytes into `view`'s buffer. */
export interface BlasAddon {
  /** C = alpha op(A) op(B) for each of outer x inner matrix triples laid out as `gemmLayout` packs them. */
  gemm(view: Uint8Array, transposeA: boolean, transposeB: boolean, alpha: number, layout: Float64Array): void;
  /** Sets (when given) and returns OpenBLAS's thread count. */
  threads(n?: number): number;
  /** OpenBLAS's build description (version, core, threading). */
  config(): string;
  /** out[c] = sum over r of x[r, c] for x [rows, cols] (a sum over leading axes), accumulated in double. */
  sumRows(view: Uint8Array, rows: number, cols: number, xOffset: number, outOffset: number): void;
  /** out[r] = sum over c of x[r, c] for x [rows, cols] (a sum over trailing axes), accumulated in double. */
  sumCols(view: Uint8Array, rows: number, cols: number, xOffset: number, outOffset: number): void;
  /** Per row of logits x [rows, cols] and int32 targets [rows]: stats [rows, 3] = (label-smoothed cross entropy, max, log-sum-exp of x - max). */
  xentStats(view: Uint8Array, rows: number, cols: number, xOffset: number, targetsOffset: number, statsOffset: number, smoothing: number): void;
  /** grad [rows, cols] of sum over r of w[r] times row r's label-smoothed cross entropy against int32 targets. */
  xentGrad(view: Uint8Array, rows: number, cols: number, xOffset: number, statsOffset: number, targetsOffset: number, weightsOffset: number, gradOffset: number, smoothing: number): void;
  /** One Adam update of n weights into fresh outputs (m and v offsets are ignored when fresh); see native/blas/step-kernels.c. */
  adamUpdate(
    view: Uint8Array,
    n: number,
    paramOffset: number,
    gradOffset: number,
    mOffset: number,
    vOffset: number,
    paramOutOffset: number,
    mOutOffset: number,
    vOutOffset: number,
    fresh: boolean,
    beta1: number,
    beta2: number,
    epsilon: number,
    stepSize: number,
    decay: number,
  ): void;
  /** Layer norm over the last axis of x [rows, cols]: writes y and stats [rows, 2] = (mean, 1/std). */
  layerNorm(view: Uint8Array, rows: number, cols: number, xOffset: number, gainOffset: number, biasOffset: number, yOffset: number, statsOffset: number, epsilon: number): void;
  /** Its gradient: writes dx [rows, cols], dgain and dbias [cols]. */
  layerNormGrad(view: Uint8Array, rows: number, cols: number, dyOffset: number, xOffset: number, statsOffset: number, gainOffset: number, dxOffset: number, dgainOffset: number, dbiasOffset: number): void;
  /** tf.dropout of n floats with the mask tfjs draws for `seed` (its string form): writes y and the mask as bytes. */
  dropout(view: Uint8Array, n: number, xOffset: number, yOffset: number, maskOffset: number, keep: number, seed: string): void;
  /** Its gradient: dx = dy · mask / keep. */
  dropoutGrad(view: Uint8Array, n: number, dyOffset: number, maskOffset: number, dxOffset: number, keep: number): void;
}

/** Where one operand's matrices lie for `gemm`: a byte offset, the leading dimension in floats, byte strides over the outer and inner batch. */
export interface GemmOperand {
  readonly offset: number;
  readonly ld: number;
  readonly outerStride: number;
  readonly innerStride: number;
}

/** Packs a product's sizes (op(A) m x k, op(B) k x n, outer x inner products) and its operands' layouts for `gemm`. */
export function gemmLayout(m: number, n: number, k: number, outer: number, inner: number, a: GemmOperand, b: GemmOperand, c: GemmOperand): Float64Array {
  const at = (o: GemmOperand) => [o.offset, o.ld, o.outerStride, o.innerStride];
  return Float64Array.from([m, n, k, outer, inner, ...at(a), ...at(b), ...at(c)]);
}

/** The addon's functions: a build from older sources lacks some, and is rebuilt by the set-up. */
const addonFunctions = ["gemm", "threads", "config", "sumRows", "sumCols", "xentStats", "xentGrad", "adamUpdate", "layerNorm", "layerNormGrad", "dropout", "dropoutGrad"] as const;

/** native/blas/blas.c's ADDON_INTERFACE: raised whenever a function's arguments change. */
const addonInterface = 2;

/** Whether the native products are in use, and why (not). */
export interface BlasStatus {
  readonly used: boolean;
  readonly why: string;
  /** OpenBLAS's build description when loaded (it names the kernels' core). */
  readonly config?: string;
  /** Where OPENBLAS_CORETYPE came from: the environment, the CPU's flags, or nowhere (OpenBLAS's own detection). */
  readonly coreTypeSource?: CoreTypeSource;
  readonly threads?: number;
}

/** Where the set-up puts the built addon. */
export const blasAddonPath = path.join(projectRoot, "native", "blas", "build", "Release", "supernet_blas.node");

/**
 * OpenBLAS's idle threads spin for about 2^28 cycles after each product before sleeping; here
 * they spin on the cores wasm's own threads need for the element-wise work between products.
 * The shortest wait (2^4 cycles) made a training step of the largest `small` subnet ~10% faster.
 * Read once, when the library loads; a value already set is left alone.
 */
function shortenThreadSpin(): void {
  if (process.env.OPENBLAS_THREAD_TIMEOUT === undefined) process.env.OPENBLAS_THREAD_TIMEOUT = "4";
}

/** The kernels' core named in OpenBLAS's config ("... DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"), or null. */
export function blasCoreName(config: string | undefined): string | null {
  return /(\S+)\s+MAX_THREADS/.exec(config ?? "")?.[1] ?? null;
}

/** Where the OpenBLAS kernels' core type came from. */
export type CoreTypeSource = "environment" | "cpu flags" | "openblas";

/**
 * The OPENBLAS_CORETYPE for a CPU with these /proc/cpuinfo flags: SkylakeX (OpenBLAS's AVX-512
 * kernels) with AVX-512 F, DQ, BW and VL; Haswell (AVX2) with AVX2 and FMA; else null.
 */
export function coreTypeFromFlags(flags: ReadonlySet<string>): string | null {
  if (["avx512f", "avx512dq", "avx512bw", "avx512vl"].every((f) => flags.has(f))) return "SkylakeX";
  if (flags.has("avx2") && flags.has("fma")) return "Haswell";
  return null;
}

/**
 * OpenBLAS (built with DYNAMIC_ARCH, as Debian's is) chooses its kernels from the CPU's family and
 * model numbers, and a virtual CPU that hides them gets the generic ones: on one such machine
 * ("Intel(R) Xeon(R) Processor", AVX-512) it took Prescott (SSE3), and a 1024^3 product ran at
 * 33-62 GFLOP/s instead of 180-357 with the AVX-512 kernels. The flags are what the kernels need,
 * so an unset OPENBLAS_CORETYPE is set from them before the library loads (and PyTorch, started
 * by the bench from this process, inherits the same choice); a value already set is left alone.
 */
function chooseCoreType(): CoreTypeSource {
  if (process.env.OPENBLAS_CORETYPE !== undefined) return "environment";
  const flags = readCpuFlags();
  const core = flags === null ? null : coreTypeFromFlags(flags);
  if (core === null) return "openblas";
  process.env.OPENBLAS_CORETYPE = core;
  return "cpu flags";
}

let addon: BlasAddon | null = null;
let coreTypeSource: CoreTypeSource | undefined;
let status: BlasStatus = { used: false, why: "not initialised (selectBackend initialises it with the wasm backend)" };

function parseSwitch(value: string | undefined): "on" | "off" | "auto" {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "auto") return "auto";
  if (["on", "1", "true"].includes(v)) return "on";
  if (["off", "0", "false"].includes(v)) return "off";
  throw new Error(`${blasEnvVar} must be one of on, off, auto (or 1, 0, true, false); got "${value}"`);
}

/**
 * Loads the addon for use with `threads` OpenBLAS threads, unless SUPERNET_BLAS=off; with
 * SUPERNET_BLAS=on a missing addon is an error. Returns the status, also kept for `blasStatus`.
 */
export function initBlas(threads: number, env: Readonly<Record<string, string | undefined>> = process.env, addonPath = blasAddonPath): BlasStatus {
  const mode = parseSwitch(env[blasEnvVar]);
  addon = null;
  if (mode === "off") {
    status = { used: false, why: `${blasEnvVar}=off` };
    return status;
  }
  let why: string | null = null;
  if (!fs.existsSync(addonPath)) {
    why = `the OpenBLAS addon is not built (${path.relative(projectRoot, addonPath)} missing; npm run setup builds it when libopenblas-dev is installed)`;
  } else {
    try {
      shortenThreadSpin();
      // OpenBLAS reads the variable once, when it loads: choose before the first load only.
      coreTypeSource ??= chooseCoreType();
      const loaded = require(addonPath) as Partial<BlasAddon> & { interfaceVersion?: number };
      const missing = addonFunctions.filter((f) => typeof loaded[f] !== "function");
      if (missing.length > 0) throw new Error(`it was built from older sources (no ${missing.join(", ")}); bash scripts/setup.sh rebuilds it`);
      if (loaded.interfaceVersion !== addonInterface) {
        throw new Error(`it was built from older sources (interface ${loaded.interfaceVersion ?? 1}, this library needs ${addonInterface}); bash scripts/setup.sh rebuilds it`);
      }
      // A plain object of the functions (the module's own properties are read-only), so a test can observe calls.
      addon = Object.fromEntries(addonFunctions.map((f) => [f, loaded[f]])) as unknown as BlasAddon;
      addon.threads(threads);
    } catch (err) {
      addon = null;
      why = `the OpenBLAS addon failed to load: ${String((err as Error).message).split("\n")[0]}`;
    }
  }
  if (why !== null) {
    if (mode === "on") throw new Error(`${blasEnvVar}=on but ${why}`);
    status = { used: false, why };
    return status;
  }
  const a = addon as BlasAddon;
  status = { used: true, why: mode === "on" ? `forced by ${blasEnvVar}` : "OpenBLAS addon loaded", config: a.config().trim(), threads: a.threads(), coreTypeSource };
  return status;
}

/** Stops using the addon (the wasm kernels take over); for side-by-side benchmarks and parity tests. */
export function disableBlas(why: string): void {
  addon = null;
  status = { used: false, why };
}

/** The loaded addon, or null when the wasm kernels serve. */
export function blasAddon(): BlasAddon | null {
  return addon;
}

/** Whether the native products are in use, and why (not). */
export function blasStatus(): BlasStatus {
  return status;
}

/** True when the addon's kernels can serve: it is loaded and the current backend is wasm. */
export function nativeKernelsAvailable(): boolean {
  return addon !== null && tf.getBackend() === "wasm";
}

/** What a native kernel needs: the wasm backend's internals and the loaded addon; an error naming `kernel` when either is missing. */
export function nativeKernelContext(backend: unknown, kernel: string): { wasm: WasmBackendInternals; addon: BlasAddon } {
  const wasm = asWasmInternals(backend);
  if (wasm === null) throw new Error(`${kernel}: the wasm backend does not have tfjs-backend-wasm 4.22's layout`);
  if (addon === null) throw new Error(`${kernel}: the native addon is not loaded`);
  return { wasm, addon };
}
