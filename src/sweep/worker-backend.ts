/**
 * Backend set-up inside a sweep worker. Each worker is its own process, and tfjs wasm under Node
 * runs one thread per process, so N workers use N cores. The project's `selectBackend` (native >
 * wasm > cpu, SUPERNET_BACKEND honoured) is used when present; the plain wasm/cpu fallback keeps
 * workers usable in a checkout without it.
 */
import * as tf from "@tensorflow/tfjs";

/** Initialises the best available backend and returns its name. */
export async function initWorkerBackend(): Promise<string> {
  let select: (() => Promise<{ name: string }>) | undefined;
  try {
    select = require("../backend/index").selectBackend;
  } catch {
    select = undefined;
  }
  if (select) return (await select()).name;
  try {
    require("@tensorflow/tfjs-backend-wasm");
    if (await tf.setBackend("wasm")) return "wasm";
  } catch {
    // wasm unavailable: cpu is slow but always works.
  }
  await tf.setBackend("cpu");
  return "cpu";
}
