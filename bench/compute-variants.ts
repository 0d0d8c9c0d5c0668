/**
 * The compute routes `npm run bench` measures side by side: on wasm with the OpenBLAS addon
 * loaded, "wasm+BLAS" (the library's default there) and "wasm" (the addon switched off); and
 * "webgpu" when Dawn offers an adapter: a GPU's always, a software one (lavapipe) only when asked
 * (`--webgpu`), since on a CPU it is far slower than wasm and would only spend the time budget.
 */
import * as tf from "@tensorflow/tfjs";
import { blasStatus, describeAdapter, disableBlas, initBlas, tryWebgpu } from "../src/backend/index";

/** One route: a label and the switch that makes it current. */
export interface ComputeVariant {
  readonly label: string;
  readonly enable: () => Promise<void>;
}

/** Whether to add the webgpu route: when a hardware adapter is found, also on a software one, or never. */
export type WebgpuRoute = "auto" | "on" | "off";

/** The routes available now, the library's default first, and why a route is missing. */
export async function computeVariants(webgpu: WebgpuRoute): Promise<{ variants: ComputeVariant[]; notes: string[] }> {
  const backend = tf.getBackend();
  const status = blasStatus();
  const onBackend = (name: string, then: () => void = () => undefined) => async () => {
    if (tf.getBackend() !== name) await tf.setBackend(name);
    then();
  };
  const threads = status.threads ?? 1;
  const variants: ComputeVariant[] =
    backend === "wasm" && status.used
      ? [
          { label: "wasm+BLAS", enable: onBackend("wasm", () => void initBlas(threads, { SUPERNET_BLAS: "on" })) },
          { label: "wasm", enable: onBackend("wasm", () => disableBlas("bench: the wasm-only route")) },
        ]
      : [{ label: backend, enable: onBackend(backend) }];
  const notes: string[] = [];
  if (backend !== "webgpu" && webgpu !== "off") {
    const attempt = await tryWebgpu(webgpu === "on");
    await tf.setBackend(backend);
    if (attempt.why === null) variants.push({ label: "webgpu", enable: onBackend("webgpu") });
    else notes.push(`webgpu route not measured: ${attempt.why}${attempt.adapter?.software ? " (--webgpu measures it anyway)" : ""}`);
    if (attempt.why === null && attempt.adapter) notes.push(`webgpu adapter: ${describeAdapter(attempt.adapter)}`);
  }
  return { variants, notes };
}
