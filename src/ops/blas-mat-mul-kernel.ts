/**
 * The wasm backend's matrix products on OpenBLAS (see src/backend/blas.ts): a kernel that reads
 * op(a) and op(b) in place on tfjs-wasm's heap and writes the product into a fresh output there,
 * 2-D or batched (B, M, K) x (B, K, N) with either operand transposed. The transposes are
 * sgemm's own flags, so no operand is ever copied.
 */
import * as tf from "@tensorflow/tfjs";
import { gemmLayout, nativeKernelContext, nativeKernelsAvailable } from "../backend/blas";
import { heapByteView, heapOffset } from "../backend/wasm-internals";

/** Kernel name; attrs { transposeA, transposeB }. */
export const blasMatMulKernel = "SupernetBlasMatMul";

/** Output shape of op(a)·op(b) for 2-D or 3-D operands. */
function productShape(a: readonly number[], b: readonly number[], transposeA: boolean, transposeB: boolean): { batch: number; m: number; n: number; k: number; shape: number[] } {
  const r = a.length;
  const batch = r === 3 ? a[0] : 1;
  const m = transposeA ? a[r - 1] : a[r - 2];
  const k = transposeA ? a[r - 2] : a[r - 1];
  const n = transposeB ? b[r - 2] : b[r - 1];
  return { batch, m, n, k, shape: r === 3 ? [batch, m, n] : [m, n] };
}

let registered = false;

/** Registers the OpenBLAS matmul kernel for wasm (idempotent). */
export function registerBlasMatMul(): void {
  if (registered || tf.getKernel(blasMatMulKernel, "wasm")) {
    registered = true;
    return;
  }
  tf.registerKernel({
    kernelName: blasMatMulKernel,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const { wasm, addon } = nativeKernelContext(backend, blasMatMulKernel);
      const { batch, m, n, k, shape } = productShape(a.shape, b.shape, transposeA, transposeB);
      // Allocate first: allocating can grow the heap and move it to a new buffer object.
      const out = wasm.makeOutput(shape, "float32");
      if (m * n === 0) return out;
      const view = heapByteView(wasm);
      if (k === 0) {
        new Float32Array(view.buffer, heapOffset(wasm, out), batch * m * n).fill(0);
        return out;
      }
      const operand = (t: tf.TensorInfo, ld: number, size: number) => ({ offset: heapOffset(wasm, t), ld, outerStride: 4 * size, innerStride: 0 });
      const layout = gemmLayout(m, n, k, batch, 1, operand(a, transposeA ? m : k, m * k), operand(b, transposeB ? k : n, k * n), operand(out, n, m * n));
      addon.gemm(view, transposeA, transposeB, 1, layout);
      return out;
    },
  });
  registered = true;
}

/** op(a)·op(b) on OpenBLAS for 2-D or 3-D float32 tensors already checked by the caller; not differentiated. */
export function blasMatMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T, transposeA: boolean, transposeB: boolean): T {
  registerBlasMatMul();
  return tf.engine().runKernel(blasMatMulKernel, { a, b }, { transposeA, transposeB } as unknown as tf.NamedAttrMap) as T;
}

/** True when products on the current backend can go to OpenBLAS. */
export function blasMatMulAvailable(): boolean {
  return nativeKernelsAvailable();
}
