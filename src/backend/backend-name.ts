/**
 * The backends the library runs on, fastest first, and the two environment variables that steer
 * the choice: SUPERNET_BACKEND forces one backend (moving to a GPU machine is this switch, not a
 * code change) and SUPERNET_THREADS sets the wasm thread count.
 */
import { availableParallelism } from "os";

/** Backend names, fastest first. */
export const backendNames = ["tensorflow-gpu", "webgpu", "tensorflow", "wasm", "cpu"] as const;
/** A backend name. */
export type BackendName = (typeof backendNames)[number];

/** Environment variable that forces one backend. */
export const backendEnvVar = "SUPERNET_BACKEND";
/** Environment variable that sets the number of wasm threads. */
export const threadsEnvVar = "SUPERNET_THREADS";

/** Checks a backend name, with an error naming the variable, the value and the allowed values. */
export function parseBackendName(value: string, field = backendEnvVar): BackendName {
  if ((backendNames as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`${field} must be one of ${backendNames.join(", ")}; got "${value}"`);
}

/** Parses a thread count; empty or absent means one thread per available core. */
export function parseThreads(value: string | undefined, field = threadsEnvVar): number {
  if (value === undefined || value.trim() === "") return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${field} must be a positive integer; got "${value}"`);
  return n;
}
