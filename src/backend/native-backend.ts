/**
 * Detection of the native (libtensorflow) backends. `@tensorflow/tfjs-node(-gpu)` download
 * libtensorflow at install time, so here they are either missing, fail to load, or are an npm
 * alias of plain `@tensorflow/tfjs` (danfojs-node's dependency is overridden that way): a require
 * that succeeds proves nothing. A native backend is usable only if, after the require, the
 * `tensorflow` backend factory is registered.
 */
import * as tf from "@tensorflow/tfjs";

/** Loads a module by name; injectable so tests can simulate missing, alias and working modules. */
export type RequireModule = (name: string) => unknown;

/** The npm module behind each native candidate. */
export const nativeModules: Readonly<Record<"tensorflow-gpu" | "tensorflow", string>> = {
  "tensorflow-gpu": "@tensorflow/tfjs-node-gpu",
  tensorflow: "@tensorflow/tfjs-node",
};

/** Why a native module cannot serve, or null when it registered the `tensorflow` backend. */
export function nativeUnavailable(moduleName: string, requireModule: RequireModule): string | null {
  let loaded: unknown;
  try {
    loaded = requireModule(moduleName);
  } catch (err) {
    const message = String((err as Error)?.message ?? err).split("\n")[0];
    const missing = (err as { code?: string })?.code === "MODULE_NOT_FOUND" || /Cannot find module/.test(message);
    return missing && message.includes(moduleName) ? `${moduleName} is not installed` : `${moduleName} failed to load: ${message}`;
  }
  if (tf.findBackendFactory("tensorflow")) return null;
  // Plain @tensorflow/tfjs exports a version map without a "tfjs-node" entry.
  const version = (loaded as { version?: Record<string, string> } | null)?.version;
  const isAlias = version !== undefined && version["tfjs-node"] === undefined && version.tfjs !== undefined;
  return isAlias
    ? `${moduleName} is an alias of @tensorflow/tfjs, registers no native backend`
    : `${moduleName} loaded but registered no "tensorflow" backend`;
}
