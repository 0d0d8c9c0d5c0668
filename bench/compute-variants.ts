/**
 * The compute routes `npm run bench` measures side by side on the selected backend: on wasm with
 * the OpenBLAS addon loaded, "wasm+BLAS" (the library's default there) and "wasm" (the addon
 * switched off); otherwise the one route the backend has.
 */
import * as tf from "@tensorflow/tfjs";
import { blasStatus, disableBlas, initBlas } from "../src/backend/index";

/** One route: a label and the switch that makes it current. */
export interface ComputeVariant {
  readonly label: string;
  readonly enable: () => void;
}

/** The routes available now, the library's default first. */
export function computeVariants(): ComputeVariant[] {
  const backend = tf.getBackend();
  const status = blasStatus();
  if (backend !== "wasm" || !status.used) return [{ label: backend, enable: () => undefined }];
  const threads = status.threads ?? 1;
  return [
    { label: "wasm+BLAS", enable: () => void initBlas(threads, { SUPERNET_BLAS: "on" }) },
    { label: "wasm", enable: () => disableBlas("bench: the wasm-only route") },
  ];
}
