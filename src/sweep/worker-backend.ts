/**
 * Backend set-up inside a sweep worker: the project's `selectBackend` (native > wasm > cpu,
 * SUPERNET_BACKEND honoured) with one wasm thread per worker. The sweep already runs one worker
 * per core, and several processes each spreading threads over every core run far slower than
 * one thread each (an attention step measured 12x slower under that contention).
 */
import { selectBackend } from "../backend/index";

/** Initialises the best available backend, single-threaded, and returns its name. */
export async function initWorkerBackend(): Promise<string> {
  return (await selectBackend({ threads: 1 })).name;
}
