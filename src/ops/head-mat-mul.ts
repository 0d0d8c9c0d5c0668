/**
 * Attention's two products per head, on tensors that keep their heads side by side: queries,
 * keys, values and the attention context stay [batch, length, heads·size] (the layout of the
 * projections), scores and probabilities are [batch, heads, lengthQ, lengthK].
 *
 *   headScores(q, k)  = alpha · q_h k_h^T per item and head -> [B, H, Tq, Tk]
 *   headContext(p, v) = p_h v_h per item and head           -> [B, Tq, H·size]
 *
 * Composed from tfjs ops, each call splits q, k and v into heads (reshape, transpose, reshape)
 * and merges the context back, forward and backward: a copy of every activation per split. Where
 * the native addon is loaded on wasm, every product, forward and backward, is one OpenBLAS call
 * per item and head that reads head h in place (it starts h·size floats into a row, with leading
 * dimension heads·size) and writes its result in place too (see native/blas/blas.c's gemm), so
 * no head is ever copied. Elsewhere (webgpu, or without the addon) the composition runs; the
 * tests hold the two routes to each other and to central differences.
 */
import * as tf from "@tensorflow/tfjs";
import { gemmLayout, GemmOperand, nativeKernelContext, nativeKernelsAvailable } from "../backend/blas";
import { heapByteView, heapOffset, WasmBackendInternals } from "../backend/wasm-internals";
import { batchMatMul } from "./batch-mat-mul";
import { assertFloat32 } from "./check";

/**
 * Kernel: { a, b } -> op(a)·op(b) per item and head, scaled by alpha. An operand of rank 3 is
 * [B, T, H·size] (head h is T x size), of rank 4 [B, H, R, C]; the output is [B, H, m, n]
 * (`blocks`) or [B, m, H·n] (`heads`). attrs { heads, transposeA, transposeB, alpha, out }.
 */
export const headMatMulKernel = "SupernetHeadMatMul";

type Layout = "heads" | "blocks";

interface HeadMatMulAttrs {
  readonly heads: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly alpha: number;
  readonly out: Layout;
}

/** One head's matrix in an operand: its stored rows and columns, and where each (item, head) starts. */
interface HeadOperand {
  readonly rows: number;
  readonly cols: number;
  readonly ld: number;
  readonly outerStride: number;
  readonly innerStride: number;
}

/** The per-head matrices of a [B, T, H·size] (rank 3) or [B, H, R, C] (rank 4) tensor. */
function headOperand(shape: readonly number[], heads: number): HeadOperand {
  if (shape.length === 3) {
    const [, length, width] = shape;
    const size = width / heads;
    return { rows: length, cols: size, ld: width, outerStride: length * width, innerStride: size };
  }
  const [, , rows, cols] = shape;
  return { rows, cols, ld: cols, outerStride: heads * rows * cols, innerStride: rows * cols };
}

/** Sizes of op(a)·op(b) per item and head, and the output's shape and layout. */
function productOf(aShape: readonly number[], bShape: readonly number[], attrs: HeadMatMulAttrs) {
  const a = headOperand(aShape, attrs.heads);
  const b = headOperand(bShape, attrs.heads);
  const m = attrs.transposeA ? a.cols : a.rows;
  const k = attrs.transposeA ? a.rows : a.cols;
  const n = attrs.transposeB ? b.rows : b.cols;
  const batch = aShape[0];
  const shape = attrs.out === "blocks" ? [batch, attrs.heads, m, n] : [batch, m, attrs.heads * n];
  return { a, b, m, n, k, batch, shape };
}

const inBytes = (wasm: WasmBackendInternals, t: tf.TensorInfo, o: HeadOperand): GemmOperand => ({
  offset: heapOffset(wasm, t),
  ld: o.ld,
  outerStride: 4 * o.outerStride,
  innerStride: 4 * o.innerStride,
});

let registered = false;

/** Registers the per-head OpenBLAS product for wasm (idempotent). */
export function registerHeadMatMul(): void {
  if (registered || tf.getKernel(headMatMulKernel, "wasm")) {
    registered = true;
    return;
  }
  tf.registerKernel({
    kernelName: headMatMulKernel,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const at = attrs as unknown as HeadMatMulAttrs;
      const { wasm, addon } = nativeKernelContext(backend, headMatMulKernel);
      const p = productOf(a.shape, b.shape, at);
      // Allocate first: allocating can grow the heap and move it to a new buffer object.
      const out = wasm.makeOutput(p.shape, "float32");
      if (p.m * p.n * p.batch === 0) return out;
      const c = headOperand(p.shape, at.heads);
      if (p.k === 0) {
        new Float32Array(heapByteView(wasm).buffer, heapOffset(wasm, out), p.batch * p.m * p.n * at.heads).fill(0);
        return out;
      }
      const layout = gemmLayout(p.m, p.n, p.k, p.batch, at.heads, inBytes(wasm, a, p.a), inBytes(wasm, b, p.b), inBytes(wasm, out, c));
      addon.gemm(heapByteView(wasm), at.transposeA, at.transposeB, at.alpha, layout);
      return out;
    },
  });
  registered = true;
}

/** (B, T, H·size) -> (B·H, T, size); (B, H, R, C) -> (B·H, R, C). */
function items(x: tf.Tensor, heads: number): tf.Tensor3D {
  const shape = x.shape as number[];
  if (x.rank === 4) return tf.reshape(x, [shape[0] * heads, shape[2], shape[3]]);
  const [batch, length, width] = shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, length, heads, width / heads]), [0, 2, 1, 3]), [batch * heads, length, width / heads]);
}

/** (B·H, m, n) -> the output layout. */
function fromItems(x: tf.Tensor3D, batch: number, heads: number, out: Layout): tf.Tensor {
  const [, m, n] = x.shape;
  if (out === "blocks") return tf.reshape(x, [batch, heads, m, n]);
  return tf.reshape(tf.transpose(tf.reshape(x, [batch, heads, m, n]), [0, 2, 1, 3]), [batch, m, heads * n]);
}

/** The product through tfjs ops (any backend), differentiable by tfjs. */
function composed(a: tf.Tensor, b: tf.Tensor, attrs: HeadMatMulAttrs): tf.Tensor {
  const product = batchMatMul(items(a, attrs.heads), items(b, attrs.heads), attrs.transposeA, attrs.transposeB);
  const scaled = attrs.alpha === 1 ? product : tf.mul(product, attrs.alpha);
  return fromItems(scaled as tf.Tensor3D, a.shape[0], attrs.heads, attrs.out);
}

/** The product on the native kernel; not differentiated. */
function native(a: tf.Tensor, b: tf.Tensor, attrs: HeadMatMulAttrs): tf.Tensor {
  registerHeadMatMul();
  return tf.engine().runKernel(headMatMulKernel, { a, b }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** True when the per-head products can run natively: the addon is loaded and the backend is wasm. */
export function nativeHeadMatMulAvailable(): boolean {
  return nativeKernelsAvailable();
}

/** alpha·q_h k_h^T on the native kernel, with its gradient as two more per-head products. */
function nativeScores(q: tf.Tensor3D, k: tf.Tensor3D, heads: number, alpha: number): tf.Tensor4D {
  const f = tf.customGrad((qs: tf.Tensor | tf.GradSaveFunc, ks: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const [qq, kk] = [qs as tf.Tensor, ks as tf.Tensor];
    (save as tf.GradSaveFunc)([qq, kk]);
    return {
      value: native(qq, kk, { heads, transposeA: false, transposeB: true, alpha, out: "blocks" }),
      // dq_h = alpha · ds_h k_h, dk_h = alpha · ds_h^T q_h, each written straight into its head's columns.
      gradFunc: (ds: tf.Tensor, [sq, sk]: tf.Tensor[]) => [
        native(ds, sk, { heads, transposeA: false, transposeB: false, alpha, out: "heads" }),
        native(ds, sq, { heads, transposeA: true, transposeB: false, alpha, out: "heads" }),
      ],
    };
  });
  return f(q, k) as tf.Tensor4D;
}

/** p_h v_h on the native kernel, with its gradient. */
function nativeContext(p: tf.Tensor4D, v: tf.Tensor3D, heads: number): tf.Tensor3D {
  const f = tf.customGrad((ps: tf.Tensor | tf.GradSaveFunc, vs: tf.Tensor | tf.GradSaveFunc, save: tf.Tensor | tf.GradSaveFunc) => {
    const [pp, vv] = [ps as tf.Tensor, vs as tf.Tensor];
    (save as tf.GradSaveFunc)([pp, vv]);
    return {
      value: native(pp, vv, { heads, transposeA: false, transposeB: false, alpha: 1, out: "heads" }),
      // dp_h = dc_h v_h^T, dv_h = p_h^T dc_h.
      gradFunc: (dc: tf.Tensor, [sp, sv]: tf.Tensor[]) => [
        native(dc, sv, { heads, transposeA: false, transposeB: true, alpha: 1, out: "blocks" }),
        native(sp, dc, { heads, transposeA: true, transposeB: false, alpha: 1, out: "heads" }),
      ],
    };
  });
  return f(p, v) as tf.Tensor3D;
}

function checkHeads(fn: string, name: string, x: tf.Tensor, heads: number): void {
  assertFloat32(fn, name, x);
  if (x.rank !== 3) throw new Error(`${fn}: ${name} must be [batch, length, heads·size]; got shape [${x.shape}]`);
  const width = x.shape[2] as number;
  if (!(Number.isInteger(heads) && heads >= 1) || width % heads !== 0) {
    throw new Error(`${fn}: heads must be a positive integer dividing ${name}'s width ${width}; got ${heads}`);
  }
}

/** True when the fused route serves these tensors. */
function useNative(...xs: tf.Tensor[]): boolean {
  return nativeHeadMatMulAvailable() && xs.every((x) => x.size > 0);
}

/** Attention scores alpha · q_h k_h^T of q [B, Tq, H·size] and k [B, Tk, H·size], as [B, H, Tq, Tk]. */
export function headScores(q: tf.Tensor3D, k: tf.Tensor3D, heads: number, alpha = 1): tf.Tensor4D {
  checkHeads("headScores", "q", q, heads);
  checkHeads("headScores", "k", k, heads);
  if (q.shape[0] !== k.shape[0] || q.shape[2] !== k.shape[2]) {
    throw new Error(`headScores: q [${q.shape}] and k [${k.shape}] must agree in batch and width`);
  }
  if (!useNative(q, k)) return composed(q, k, { heads, transposeA: false, transposeB: true, alpha, out: "blocks" }) as tf.Tensor4D;
  return nativeScores(q, k, heads, alpha);
}

/** Attention context p_h v_h of probabilities p [B, H, Tq, Tk] and values v [B, Tk, H·size], as [B, Tq, H·size]. */
export function headContext(p: tf.Tensor4D, v: tf.Tensor3D, heads: number): tf.Tensor3D {
  checkHeads("headContext", "v", v, heads);
  assertFloat32("headContext", "p", p);
  const [batch, length] = v.shape;
  if (p.rank !== 4 || p.shape[0] !== batch || p.shape[1] !== heads || p.shape[3] !== length) {
    throw new Error(`headContext: p must be [${batch}, ${heads}, lengthQ, ${length}] for v [${v.shape}] with ${heads} heads; got [${p.shape}]`);
  }
  if (!useNative(p, v)) return composed(p, v, { heads, transposeA: false, transposeB: false, alpha: 1, out: "heads" }) as tf.Tensor3D;
  return nativeContext(p, v, heads);
}
