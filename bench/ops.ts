/**
 * Micro-benchmark of the backend layer and the fast ops (run: npx tsx bench/ops.ts). Every
 * number is a median over repetitions and every ratio compares against a baseline timed in the
 * same run, on the same machine: 1024² matmul on cpu, wasm 1 thread and wasm N threads
 * (SUPERNET_THREADS, default one per core); a linear layer forward+backward through
 * tf.matMul(transposeB) against our matMul; tf.slice against sliceBlock; attention-shaped
 * batched products. The whole run takes about a minute and a half on 2 cores.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { installThreadedWasm, parseThreads, registerWasmKernels, wasmThreadsInUse } from "../src/backend/index";
import { batchMatMul, linear, matMul, sliceBlock } from "../src/ops/index";
import { Rng } from "../src/util/rng";

const rng = new Rng(2024);

function randn(shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

/** Median milliseconds of `f` (run in a tidy) over up to `reps` runs within about `budgetMs`, after warming up. */
function timeMs(f: () => tf.TensorContainer, reps = 10, budgetMs = 2000): number {
  // cpu and wasm run kernels eagerly and synchronously: when f returns, the work is done.
  // Warm up for ~100 ms (at most 50 runs) so JS kernels are timed JIT-compiled, as in training.
  const warm = performance.now();
  for (let i = 0; i < 50 && (i === 0 || performance.now() - warm < 100); i++) tf.dispose(tf.tidy(f));
  const times: number[] = [];
  const start = performance.now();
  while (times.length < reps && (times.length < 2 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    tf.dispose(tf.tidy(f));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const fmt = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const ratio = (base: number, x: number): string => `${(base / x).toFixed(1)}x`;

function row(label: string, ms: number, extra = ""): void {
  console.log(`  ${label.padEnd(52)} ${fmt(ms).padStart(10)}  ${extra}`);
}

/** GFLOP/s of a 1024² float32 matmul on the current backend. */
function matmulGflops(reps: number): number {
  const n = 1024;
  const a = randn([n, n]);
  const b = randn([n, n]);
  const ms = timeMs(() => tf.matMul(a, b), reps, 3000);
  tf.dispose([a, b]);
  return (2 * n ** 3) / (ms * 1e6);
}

/** Forward+backward of y = x W: tf.matMul with W [out, in] and transposeB (baseline) vs ours. */
function linearSection(): void {
  const [tokens, inDim, outDim] = [512, 256, 1024];
  const x = randn([tokens, inDim]);
  const wOutIn = randn([outDim, inDim]);
  const wInOut = tf.transpose(wOutIn);
  const dy = randn([tokens, outDim]);
  const step = (f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, w: tf.Tensor) => () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), dy)))([x, w]);
  const base = timeMs(step((a, b) => tf.matMul(a, b, false, true), wOutIn), 5);
  const plain = timeMs(step((a, b) => tf.matMul(a, b), wInOut), 5);
  const ours = timeMs(step((a, b) => matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true), wOutIn), 5);
  const oursLinear = timeMs(step((a, b) => linear(a, b), wInOut), 5);
  console.log(`linear ${tokens}x${inDim} -> ${outDim}, forward+backward:`);
  row("tf.matMul(x, W[out,in], false, true) + tf grads", base, "1.0x (baseline)");
  row("tf.matMul(x, W[in,out]) + tf grads", plain, ratio(base, plain));
  row("ours matMul(x, W[out,in], false, true)", ours, ratio(base, ours));
  row("ours linear(x, W[in,out])", oursLinear, ratio(base, oursLinear));
  tf.dispose([x, wOutIn, wInOut, dy]);
}

/** tf.slice vs sliceBlock of a weight block, forward and forward+backward. */
function sliceSection(): void {
  const cases: [string, number[], number, number][] = [
    ["1024x1024 -> 512x768", [1024, 1024], 512, 768],
    ["embedding 8192x512 -> 8192x256", [8192, 512], 8192, 256],
    ["FFN 512x2048 -> 256x1024", [512, 2048], 256, 1024],
  ];
  for (const [label, shape, rows, cols] of cases) {
    const w = randn(shape);
    const theirs = timeMs(() => tf.slice(w, [0, 0], [rows, cols]), 100, 1000);
    const ours = timeMs(() => sliceBlock(w, rows, cols), 100, 1000);
    // Forward and backward with a given upstream gradient: the cut, then the zero-padding.
    const dy = randn([rows, cols]);
    const withGrad = (f: (t: tf.Tensor) => tf.Tensor) => () => tf.grad(f)(w, dy);
    const theirsGrad = timeMs(withGrad((t) => tf.slice(t, [0, 0], [rows, cols])), 30, 1000);
    const oursGrad = timeMs(withGrad((t) => sliceBlock(t, rows, cols)), 30, 1000);
    row(`slice ${label}: tf.slice / sliceBlock`, ours, `tf.slice ${fmt(theirs)}, ${ratio(theirs, ours)} faster`);
    row(`  forward+backward`, oursGrad, `tf.slice ${fmt(theirsGrad)}, ${ratio(theirsGrad, oursGrad)} faster`);
    tf.dispose([w, dy]);
  }
}

/** Attention scores q k^T for (B*heads, T, headDim): tf.matMul variants vs batchMatMul. */
function attentionSection(withAlternatives: boolean): void {
  const shapes: [number, number, number][] = [
    [32, 16, 16],
    [64, 32, 32],
    [128, 64, 16],
    [128, 64, 64],
  ];
  for (const [b, t, d] of shapes) {
    const q = randn([b, t, d]) as tf.Tensor3D;
    const k = randn([b, t, d]) as tf.Tensor3D;
    const dy = randn([b, t, t]);
    const fwdBwd = (f: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor) => () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor3D, y as tf.Tensor3D), dy)))([q, k]);
    const base = timeMs(() => tf.matMul(q, k, false, true), 30, 1000);
    const ours = timeMs(() => batchMatMul(q, k, false, true), 30, 1000);
    const baseStep = timeMs(fwdBwd((x, y) => tf.matMul(x, y, false, true)), 15, 1000);
    const oursStep = timeMs(fwdBwd((x, y) => batchMatMul(x, y, false, true)), 15, 1000);
    const label = `(${b}, ${t}, ${d})`;
    const alternatives: string[] = [];
    if (withAlternatives) {
      const explicit = timeMs(() => tf.matMul(q, tf.transpose(k, [0, 2, 1])), 5, 1000);
      const unstacked = timeMs(() => {
        const ks = tf.unstack(tf.transpose(k, [0, 2, 1]));
        return tf.stack(tf.unstack(q).map((x, i) => tf.matMul(x, ks[i])));
      }, 3, 1000);
      alternatives.push(`transpose+tf.matMul ${fmt(explicit)}, unstack+2-D ${fmt(unstacked)}`);
    }
    row(`q k^T ${label} tf.matMul(tB) / batchMatMul`, ours, `tf ${fmt(base)}, ${ratio(base, ours)} faster${alternatives.length ? `; ${alternatives[0]}` : ""}`);
    row(`  forward+backward`, oursStep, `tf ${fmt(baseStep)}, ${ratio(baseStep, oursStep)} faster`);
    tf.dispose([q, k, dy]);
  }
}

async function main(): Promise<void> {
  const threads = parseThreads(process.env.SUPERNET_THREADS);
  const started = performance.now();
  console.log(`tfjs ${tf.version.tfjs}, ${threads} wasm threads requested (SUPERNET_THREADS)`);

  await tf.setBackend("cpu");
  const cpuGflops = matmulGflops(2);
  console.log(`\n== cpu ==\nmatmul 1024²: ${cpuGflops.toFixed(2)} GFLOP/s`);
  sliceSection();

  registerWasmKernels();
  await tf.setBackend("wasm");
  const wasm1 = matmulGflops(10);
  console.log(`\n== wasm, 1 thread (tfjs's own loader) ==\nmatmul 1024²: ${wasm1.toFixed(1)} GFLOP/s (${ratio(wasm1, cpuGflops)} cpu)`);
  linearSection();
  sliceSection();
  attentionSection(true);

  tf.removeBackend("wasm");
  const install = await installThreadedWasm(threads);
  if (!install.installed) {
    console.log(`\nwasm threads not available: ${install.why}`);
  } else {
    await tf.setBackend("wasm");
    const wasmN = matmulGflops(10);
    const inUse = wasmThreadsInUse();
    console.log(`\n== wasm, ${inUse} threads ==\nmatmul 1024²: ${wasmN.toFixed(1)} GFLOP/s (${ratio(wasmN, wasm1)} wasm 1 thread, ${ratio(wasmN, cpuGflops)} cpu)`);
    linearSection();
    attentionSection(false);
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
