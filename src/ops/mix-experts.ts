/**
 * Expert mixing for Mixture-of-Supernets (Jawahar et al., 2023): W = sum_i E_i * alpha[:, i],
 * where output neuron (column) j of expert i is scaled by alpha[j, i] (neuron-wise routing) or
 * every entry by alpha[0, i] (layer-wise). Written with tfjs ops this is m broadcast multiplies
 * and an addN forward, and 3m passes plus reductions backward, each a separate kernel call over
 * the whole matrix; on wasm that cost ~0.6 s per update with 6 experts on the small preset's
 * largest subnet. One JS kernel per direction reads each expert once instead. On other backends
 * (webgpu) the tfjs-op form is used, which is fast there.
 */
import * as tf from "@tensorflow/tfjs";
import { addMany } from "./add-many";
import { computeOutput, JsKernelBackend, jsKernelBackends } from "../backend/kernel-data";

/** Kernel: inputs [alpha (A, m), E_0, …, E_(m-1)] (an array, as AddN's); output W. */
const mixKernel = "SupernetMixExperts";
/** Kernel: inputs { dy, alpha }, attrs { expert }; output dy scaled per column by alpha[:, expert] (dE_expert). */
const scaleKernel = "SupernetMixExpertsScale";
/** Kernel: inputs [dy, E_0, …, E_(m-1)], attrs { alphaRows }; output dAlpha (A, m). */
const alphaGradKernel = "SupernetMixExpertsAlphaGrad";

/** Columns of a rank-1 or rank-2 shape (a vector is one row). */
const colsOf = (shape: readonly number[]) => shape[shape.length - 1];

/** alpha[:, expert] as a contiguous column (one value per output neuron, or the layer's single value repeated). */
function alphaColumn(alpha: tf.TypedArray, expert: number, m: number, cols: number): Float32Array {
  const col = new Float32Array(cols);
  if (alpha.length === m) col.fill(alpha[expert]);
  else for (let c = 0; c < cols; c++) col[c] = alpha[c * m + expert];
  return col;
}

function mix(out: tf.TypedArray, alpha: tf.TypedArray, experts: tf.TypedArray[], cols: number): void {
  const m = experts.length;
  const rows = out.length / cols;
  for (let i = 0; i < m; i++) {
    const e = experts[i];
    const a = alphaColumn(alpha, i, m, cols);
    for (let r = 0, base = 0; r < rows; r++, base += cols) {
      // Every element is written on the first pass: wasm outputs start uninitialised.
      if (i === 0) for (let c = 0; c < cols; c++) out[base + c] = a[c] * e[base + c];
      else for (let c = 0; c < cols; c++) out[base + c] += a[c] * e[base + c];
    }
  }
}

function scale(out: tf.TypedArray, dy: tf.TypedArray, alpha: tf.TypedArray, expert: number, m: number, cols: number): void {
  const a = alphaColumn(alpha, expert, m, cols);
  const rows = out.length / cols;
  for (let r = 0, base = 0; r < rows; r++, base += cols) for (let c = 0; c < cols; c++) out[base + c] = dy[base + c] * a[c];
}

function alphaGrad(out: tf.TypedArray, dy: tf.TypedArray, experts: tf.TypedArray[], alphaRows: number, cols: number): void {
  const m = experts.length;
  const rows = dy.length / cols;
  const acc = new Float64Array(cols);
  for (let i = 0; i < m; i++) {
    const e = experts[i];
    acc.fill(0);
    for (let r = 0, base = 0; r < rows; r++, base += cols) for (let c = 0; c < cols; c++) acc[c] += dy[base + c] * e[base + c];
    if (alphaRows === 1) out[i] = acc.reduce((s, v) => s + v, 0);
    else for (let c = 0; c < cols; c++) out[c * m + i] = acc[c];
  }
}

function kernels(backendName: JsKernelBackend): tf.KernelConfig[] {
  return [
    {
      kernelName: mixKernel,
      backendName,
      kernelFunc: ({ inputs, backend }) => {
        const [alpha, ...experts] = inputs as unknown as tf.TensorInfo[];
        return computeOutput(backendName, backend as tf.KernelBackend, [alpha, ...experts], [...experts[0].shape], "float32", (out, [a, ...es]) => mix(out, a, es, colsOf(experts[0].shape)));
      },
    },
    {
      kernelName: scaleKernel,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const { dy, alpha } = inputs as unknown as Record<string, tf.TensorInfo>;
        const { expert } = attrs as unknown as { expert: number };
        return computeOutput(backendName, backend as tf.KernelBackend, [dy, alpha], [...dy.shape], "float32", (out, [d, a]) => scale(out, d, a, expert, alpha.shape[1], colsOf(dy.shape)));
      },
    },
    {
      kernelName: alphaGradKernel,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const [dy, ...experts] = inputs as unknown as tf.TensorInfo[];
        const { alphaRows } = attrs as unknown as { alphaRows: number };
        return computeOutput(backendName, backend as tf.KernelBackend, [dy, ...experts], [alphaRows, experts.length], "float32", (out, [d, ...es]) => alphaGrad(out, d, es, alphaRows, colsOf(dy.shape)));
      },
    },
  ];
}

let registered = false;

function register(): void {
  if (registered) return;
  for (const b of jsKernelBackends) for (const k of kernels(b)) if (!tf.getKernel(k.kernelName, b)) tf.registerKernel(k);
  if (!tf.getGradient(mixKernel)) {
    tf.registerGradient({
      kernelName: mixKernel,
      saveAllInputs: true,
      gradFunc: (dy, saved) => {
        const [alpha, ...experts] = saved;
        // Keyed by input position, as for array-input kernels: 0 is alpha, 1 + i is expert i.
        const grads: Record<number, () => tf.Tensor> = {
          0: () => tf.engine().runKernel(alphaGradKernel, [dy as tf.Tensor, ...experts] as unknown as tf.NamedTensorMap, { alphaRows: alpha.shape[0] } as unknown as tf.NamedAttrMap) as tf.Tensor,
        };
        experts.forEach((_, i) => (grads[1 + i] = () => tf.engine().runKernel(scaleKernel, { dy: dy as tf.Tensor, alpha }, { expert: i } as unknown as tf.NamedAttrMap) as tf.Tensor));
        return grads;
      },
    });
  }
  registered = true;
}

/** The same mixture with tfjs ops (backends without the JS kernels, and the tests' oracle). */
export function mixExpertsReference(experts: readonly tf.Tensor[], alpha: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const columns = tf.split(alpha, experts.length, 1);
    return addMany(experts.map((e, i) => tf.mul(e, tf.reshape(columns[i], [-1]))));
  });
}

/** sum_i experts[i] * alpha[:, i]: experts all (in, out) or all (out); alpha (1, m) or (out, m), scaling output neuron j of expert i by alpha[j, i]. */
export function mixExperts(experts: readonly tf.Tensor[], alpha: tf.Tensor2D): tf.Tensor {
  const m = experts.length;
  if (m === 0) throw new Error("mixExperts: experts is empty; pass at least one");
  if (alpha.rank !== 2 || alpha.shape[1] !== m) throw new Error(`mixExperts: alpha must be (1 or out, ${m}) for ${m} experts; got shape [${alpha.shape}]`);
  const shape = experts[0].shape;
  if (experts.some((e) => e.shape.join("x") !== shape.join("x"))) throw new Error(`mixExperts: experts must share one shape; got ${experts.map((e) => `[${e.shape}]`).join(", ")}`);
  if (alpha.shape[0] !== 1 && alpha.shape[0] !== colsOf(shape)) throw new Error(`mixExperts: alpha has ${alpha.shape[0]} rows; expected 1 or ${colsOf(shape)} (one per output neuron)`);
  register();
  if (tf.getKernel(mixKernel, tf.getBackend()) == null || experts.some((e) => e.dtype !== "float32") || alpha.dtype !== "float32") return mixExpertsReference(experts, alpha);
  return tf.engine().runKernel(mixKernel, [alpha, ...experts] as unknown as tf.NamedTensorMap) as tf.Tensor;
}
