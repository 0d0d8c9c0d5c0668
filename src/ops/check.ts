/**
 * Argument checks shared by the fast ops: each error names the op, the argument and its value,
 * so a shape bug deep in a supernet forward pass reads as what went wrong, not as a tfjs assert.
 */
import type * as tf from "@tensorflow/tfjs";

/** Throws unless `t` has rank `rank`. */
export function assertRank(op: string, arg: string, t: tf.Tensor, rank: number): void {
  if (t.rank !== rank) throw new Error(`${op}: ${arg} must be ${rank}-D; got shape [${t.shape}]`);
}

/** Throws unless `t` is float32 (the wasm matmul kernels support nothing else). */
export function assertFloat32(op: string, arg: string, t: tf.Tensor): void {
  if (t.dtype !== "float32") throw new Error(`${op}: ${arg} must be float32; got ${t.dtype}`);
}

/** Throws unless `value` is an integer in [0, max]. */
export function assertCount(op: string, arg: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${op}: ${arg} must be an integer in [0, ${max}]; got ${value}`);
}

/** Throws unless two sizes that must agree do. */
export function assertSameSize(op: string, what: string, a: number, b: number): void {
  if (a !== b) throw new Error(`${op}: ${what} must match; got ${a} and ${b}`);
}
