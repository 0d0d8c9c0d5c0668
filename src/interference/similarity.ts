/**
 * Similarity measures of the interference analysis. Gradient similarity is the cosine of two
 * flattened gradients. Input/output similarity compares the activations an operator sees (or
 * produces) under two children whose widths may differ: linear CKA (Kornblith et al., 2019) is
 * width-agnostic and the default; cosine over the common first-k channels is the alternative,
 * meaningful here because first-k slicing aligns channel j of both children.
 */
import * as tf from "@tensorflow/tfjs";

/** Cosine similarity of two equally long vectors (0 when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`cosine: vectors have lengths ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** How activations of two children are compared. */
export type ActivationSimilarity = "cka" | "cosine";

/** Linear CKA of two activation matrices (n, d1) and (n, d2): rows are the same tokens. */
export async function linearCka(x: tf.Tensor2D, y: tf.Tensor2D): Promise<number> {
  const cka = tf.tidy(() => {
    const xc = tf.sub(x, tf.mean(x, 0, true));
    const yc = tf.sub(y, tf.mean(y, 0, true));
    const cross = tf.sum(tf.square(tf.matMul(yc, xc, true, false)));
    const xx = tf.sqrt(tf.sum(tf.square(tf.matMul(xc, xc, true, false))));
    const yy = tf.sqrt(tf.sum(tf.square(tf.matMul(yc, yc, true, false))));
    return tf.div(cross, tf.mul(xx, yy));
  });
  return readScalar(cka);
}

/** Mean per-token cosine over the first min(d1, d2) channels of (n, d1) and (n, d2). */
export async function commonChannelCosine(x: tf.Tensor2D, y: tf.Tensor2D): Promise<number> {
  const cosine = tf.tidy(() => {
    const k = Math.min(x.shape[1], y.shape[1]);
    const a = tf.slice(x, [0, 0], [-1, k]);
    const b = tf.slice(y, [0, 0], [-1, k]);
    const num = tf.sum(tf.mul(a, b), 1);
    const den = tf.add(tf.mul(tf.norm(a, 2, 1), tf.norm(b, 2, 1)), 1e-12);
    return tf.mean(tf.div(num, den));
  });
  return readScalar(cosine);
}

/** The value of a scalar tensor, which is disposed. */
async function readScalar(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

/** Similarity of two activation tensors (B, T, d1), (B, T, d2) over the real tokens of a 0/1 mask (B, T). */
export async function activationSimilarity(x: tf.Tensor, y: tf.Tensor, mask: tf.Tensor2D, method: ActivationSimilarity): Promise<number> {
  const m = await mask.data();
  const real: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) real.push(i);
  const rows = tf.tidy(() => {
    const idx = tf.tensor1d(real, "int32");
    const flat = (t: tf.Tensor) => tf.gather(tf.reshape(t, [-1, t.shape[t.shape.length - 1]]), idx) as tf.Tensor2D;
    return [flat(x), flat(y)];
  });
  try {
    return await (method === "cka" ? linearCka(rows[0], rows[1]) : commonChannelCosine(rows[0], rows[1]));
  } finally {
    tf.dispose(rows);
  }
}
