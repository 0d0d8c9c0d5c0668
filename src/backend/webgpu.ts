/**
 * The WebGPU route: Dawn's Node binding (npm `webgpu`, prebuilt, needs a Vulkan driver) installed
 * as `navigator.gpu`, then @tensorflow/tfjs-backend-webgpu on top of it. Only a hardware adapter
 * is taken unasked: a software one (Mesa's lavapipe/llvmpipe, SwiftShader) is far slower than
 * wasm and is used only when SUPERNET_BACKEND=webgpu forces it, which is how the parity tests run
 * on a CPU-only machine. In Node, tensors on this backend can only be read asynchronously
 * (`dataSync` reaches for OffscreenCanvas), which is why the library reads with `await data()`.
 */
import * as tf from "@tensorflow/tfjs";

/** The adapter Dawn offered. */
export interface WebgpuAdapterReport {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A CPU implementation of WebGPU (lavapipe, llvmpipe, SwiftShader), not a GPU. */
  readonly software: boolean;
}

/** Loads an ES module by name (injectable so tests can simulate a missing package). */
export type ImportModule = (name: string) => Promise<unknown>;

/** Outcome of trying the WebGPU route: `why` is null when the backend is set. */
export interface WebgpuAttempt {
  readonly why: string | null;
  readonly adapter?: WebgpuAdapterReport;
}

interface DawnModule {
  create(flags: string[]): { requestAdapter(options?: object): Promise<DawnAdapter | null> };
  globals: object;
}
interface DawnAdapter {
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
}

/**
 * A real dynamic import, which a CommonJS transpiler (tslab's, TypeScript's with module commonjs)
 * cannot turn into require(): `webgpu` is an ES module, which Node 20 cannot require.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const nativeImport: ImportModule = new Function("specifier", "return import(specifier)") as ImportModule;

const softwarePattern = /llvmpipe|lavapipe|swiftshader|software/i;

/** Describes an adapter for reports: "vendor device (software): description". */
export function describeAdapter(a: WebgpuAdapterReport): string {
  const name = [a.vendor, a.device || a.architecture].filter((s) => s !== "").join(" ") || "unnamed adapter";
  return `${name}${a.software ? " (software)" : ""}${a.description ? `: ${a.description}` : ""}`;
}

function adapterReport(adapter: DawnAdapter): WebgpuAdapterReport {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? "";
  const architecture = info.architecture ?? "";
  const device = (info.device ?? "").replace(/-+$/, "");
  const description = info.description ?? "";
  const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || softwarePattern.test(`${architecture} ${device} ${description}`);
  return { vendor, architecture, device, description, software };
}

function setNavigatorGpu(gpu: unknown): void {
  // Node 21+ defines a read-only navigator; replace it with a plain object that keeps its fields.
  const existing = (globalThis as { navigator?: object }).navigator ?? {};
  const next = gpu === undefined ? { ...existing, gpu: undefined } : { ...existing, gpu };
  Object.defineProperty(globalThis, "navigator", { value: next, configurable: true, writable: true });
}

/** Whether the current tfjs backend can only read tensors asynchronously (webgpu in Node). */
export function syncReadsUnavailable(): boolean {
  return tf.getBackend() === "webgpu";
}

/**
 * Tries Dawn + tfjs-backend-webgpu. `forced`: take a software adapter too. On success the tfjs
 * backend is "webgpu"; on failure nothing stays installed and `why` says what was missing.
 */
export async function tryWebgpu(forced: boolean, importModule: ImportModule = nativeImport): Promise<WebgpuAttempt> {
  let dawn: DawnModule;
  try {
    const loaded = (await importModule("webgpu")) as Partial<DawnModule> & { default?: Partial<DawnModule> };
    // An ES module seen through a CommonJS loader (tslab's) arrives as its default export.
    const candidate = typeof loaded.create === "function" ? loaded : loaded.default;
    if (typeof candidate?.create !== "function") throw new Error(`it exports no create() (found: ${Object.keys(loaded).join(", ") || "nothing"})`);
    dawn = candidate as DawnModule;
  } catch (err) {
    return { why: `the optional package webgpu failed to load: ${(err as Error).message.split("\n")[0]}` };
  }
  let adapter: DawnAdapter | null;
  let gpu: ReturnType<DawnModule["create"]>;
  try {
    gpu = dawn.create([]);
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return { why: `Dawn could not start: ${(err as Error).message.split("\n")[0]}` };
  }
  if (adapter === null) return { why: "Dawn found no adapter (is a Vulkan driver installed? Debian: libvulkan1 and mesa-vulkan-drivers or the GPU vendor's driver)" };
  const report = adapterReport(adapter);
  if (report.software && !forced) return { why: `only a software adapter (${describeAdapter(report)}), slower than wasm; used only when forced with SUPERNET_BACKEND=webgpu`, adapter: report };
  Object.assign(globalThis, dawn.globals);
  setNavigatorGpu(gpu);
  try {
    await importModule("@tensorflow/tfjs-backend-webgpu");
  } catch (err) {
    setNavigatorGpu(undefined);
    return { why: `the optional package @tensorflow/tfjs-backend-webgpu failed to load: ${(err as Error).message.split("\n")[0]}`, adapter: report };
  }
  try {
    if (!(await tf.setBackend("webgpu"))) throw new Error('tf.setBackend("webgpu") returned false');
    await tf.ready();
  } catch (err) {
    setNavigatorGpu(undefined);
    return { why: `initialising webgpu failed: ${(err as Error).message.split("\n")[0]}`, adapter: report };
  }
  return { why: null, adapter: report };
}
