/**
 * The tfjs backend the benchmark runs on. It uses the project's own selection (`selectBackend` and
 * `describeBackend` from src/backend/index.ts) when that module is there and loads; otherwise it
 * falls back to plain wasm and says so, so the benchmark still runs while src/backend changes.
 */
import * as tf from "@tensorflow/tfjs";

/** What the benchmark knows about the backend in use. */
export interface BenchBackend {
  /** tfjs's name of the active backend (wasm, cpu, tensorflow, ...). */
  readonly tfBackend: string;
  /** The line describing the choice. */
  readonly description: string;
  /** Whether src/backend chose it or the benchmark's fallback did. */
  readonly source: "src/backend" | "fallback";
  /** Why the fallback was used, when it was. */
  readonly note?: string;
  /** Threads reported by src/backend, when it reports them. */
  readonly threads?: number;
}

interface BackendModule {
  selectBackend(options?: unknown): Promise<unknown>;
  describeBackend(report: unknown): string;
}

function loadBackendModule(): { module: BackendModule | null; why: string } {
  let loaded: Partial<BackendModule>;
  try {
    // A dynamic require: the module is being written by someone else and may be absent.
    loaded = require("../src/backend/index") as Partial<BackendModule>;
  } catch (err) {
    return { module: null, why: `src/backend/index.ts could not be loaded: ${String((err as Error)?.message ?? err).split("\n")[0]}` };
  }
  if (typeof loaded.selectBackend !== "function" || typeof loaded.describeBackend !== "function") {
    return { module: null, why: "src/backend/index.ts exports no selectBackend/describeBackend" };
  }
  return { module: loaded as BackendModule, why: "" };
}

/** Selects the backend: src/backend when it works, else wasm (then cpu) with a note. */
export async function initBenchBackend(): Promise<BenchBackend> {
  const { module, why } = loadBackendModule();
  let note = why;
  if (module) {
    try {
      const report = await module.selectBackend();
      const threads = (report as { threads?: unknown })?.threads;
      return {
        tfBackend: tf.getBackend(),
        description: module.describeBackend(report),
        source: "src/backend",
        threads: typeof threads === "number" ? threads : undefined,
      };
    } catch (err) {
      note = `selectBackend() failed: ${String((err as Error)?.message ?? err).split("\n")[0]}`;
    }
  }
  try {
    require("@tensorflow/tfjs-backend-wasm");
    if (!(await tf.setBackend("wasm"))) throw new Error('tf.setBackend("wasm") returned false');
    await tf.ready();
  } catch (err) {
    note += `; wasm fallback failed (${(err as Error).message}), using cpu`;
    await tf.setBackend("cpu");
    await tf.ready();
  }
  return {
    tfBackend: tf.getBackend(),
    description: `backend: ${tf.getBackend()} (tfjs ${tf.version.tfjs}; benchmark fallback, without the project's wasm fixes)`,
    source: "fallback",
    note,
  };
}
