/**
 * Picks the fastest TensorFlow.js backend that really works here, in the order
 * tensorflow-gpu (@tensorflow/tfjs-node-gpu) > tensorflow (@tensorflow/tfjs-node) > wasm > cpu,
 * or the one SUPERNET_BACKEND forces, and reports why each other one was skipped. The native
 * packages download libtensorflow at install time, so they are optional: a module that is
 * missing, fails to load, or is only an npm alias of @tensorflow/tfjs (as danfojs-node's
 * dependency is here) registers no "tensorflow" backend factory and is skipped. Moving to a GPU
 * machine is the environment variable, not a code change.
 */
import * as tf from "@tensorflow/tfjs";
import { registerWasmKernels } from "./wasm-kernels";

/** Backend names, fastest first. */
export const backendNames = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
/** A backend name. */
export type BackendName = (typeof backendNames)[number];

/** What `selectBackend` chose and why. */
export interface BackendReport {
  /** The chosen candidate. */
  readonly name: BackendName;
  /** The tfjs backend name in use (tensorflow, wasm, cpu). */
  readonly tfBackend: string;
  readonly reasons: readonly { readonly candidate: BackendName; readonly chosen: boolean; readonly why: string }[];
  readonly threads: number;
  readonly tfjsVersion: string;
}

/** Options of `selectBackend`. */
export interface SelectBackendOptions {
  /** Force one backend (overrides SUPERNET_BACKEND). */
  readonly prefer?: BackendName;
  /** Module loader, injectable for tests. */
  readonly requireModule?: (name: string) => unknown;
  /** Select again even if a backend was already selected in this process. */
  readonly force?: boolean;
  /** Environment to read SUPERNET_BACKEND from. */
  readonly env?: Record<string, string | undefined>;
}

const nativeModules: Record<"tensorflow-gpu" | "tensorflow", string> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
};

let cached: BackendReport | null = null;

/** Checks a forced backend name, with an error naming the variable and the allowed values. */
export function parseBackendName(value: string, field = "SUPERNET_BACKEND"): BackendName {
  if ((backendNames as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`${field} must be one of ${backendNames.join(", ")}; got "${value}"`);
}

/** Why a native module cannot serve, or null when it registered the tensorflow backend. */
export function nativeUnavailable(moduleName: string, requireModule: (name: string) => unknown): string | null {
  let loaded: unknown;
  try {
    loaded = requireModule(moduleName);
  } catch (err) {
    const message = (err as Error).message.split("\n")[0];
    return /Cannot find module/.test(message) ? `${moduleName} is not installed` : `${moduleName} failed to load: ${message}`;
  }
  if (tf.findBackendFactory("tensorflow")) return null;
  const version = (loaded as { version?: Record<string, string> } | null)?.version;
  const isAlias = version !== undefined && version["tfjs-node"] === undefined;
  return isAlias
    ? `${moduleName} is an alias of @tensorflow/tfjs and registers no native backend`
    : `${moduleName} loaded but registered no "tensorflow" backend`;
}

/** Selects and initialises the backend; cached per process unless `force`. */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendReport> {
  if (cached && !options.force) return cached;
  const env = options.env ?? process.env;
  const requireModule = options.requireModule ?? ((name: string) => require(name));
  const forced = options.prefer ?? (env.SUPERNET_BACKEND ? parseBackendName(env.SUPERNET_BACKEND) : undefined);
  const candidates: BackendName[] = forced ? [forced] : [...backendNames];
  const reasons: { candidate: BackendName; chosen: boolean; why: string }[] = [];
  if (forced) reasons.push(...backendNames.filter((b) => b !== forced).map((b) => ({ candidate: b, chosen: false, why: `SUPERNET_BACKEND=${forced}` })));
  for (const candidate of candidates) {
    let why: string | null = null;
    let tfBackend: string = candidate;
    if (candidate === "tensorflow-gpu" || candidate === "tensorflow") {
      why = nativeUnavailable(nativeModules[candidate], requireModule);
      tfBackend = "tensorflow";
    } else if (candidate === "wasm") {
      try {
        requireModule("@tensorflow/tfjs-backend-wasm");
        registerWasmKernels();
      } catch (err) {
        why = `@tensorflow/tfjs-backend-wasm failed to load: ${(err as Error).message}`;
      }
    }
    if (why === null) {
      try {
        if (!(await tf.setBackend(tfBackend))) why = `tf.setBackend("${tfBackend}") returned false`;
        else await tf.ready();
      } catch (err) {
        why = `initialising ${tfBackend} failed: ${(err as Error).message}`;
      }
    }
    if (why !== null) {
      reasons.push({ candidate, chosen: false, why });
      if (forced) throw new Error(`SUPERNET_BACKEND=${forced} cannot be used: ${why}`);
      continue;
    }
    reasons.push({ candidate, chosen: true, why: forced ? `forced by SUPERNET_BACKEND` : "first that works" });
    cached = { name: candidate, tfBackend: tf.getBackend(), reasons, threads: 1, tfjsVersion: tf.version.tfjs };
    return cached;
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${reasons.map((r) => `${r.candidate}: ${r.why}`).join("; ")}`);
}

/** One line saying which backend is in use and why the others were skipped. */
export function describeBackend(report: BackendReport): string {
  const skipped = report.reasons.filter((r) => !r.chosen).map((r) => `${r.candidate} (${r.why})`);
  return `backend: ${report.name} (tfjs ${report.tfjsVersion}, ${report.threads} thread${report.threads === 1 ? "" : "s"})` + (skipped.length ? `; skipped ${skipped.join("; ")}` : "");
}
