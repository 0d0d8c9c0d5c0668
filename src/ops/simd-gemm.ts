/**
 * A small single-threaded wasm SIMD matmul, c[M,N] = a[M,K] b[K,N] (row-major float32, byte
 * offsets into tfjs-wasm's own heap), for attention's many small per-item products. XNNPACK via
 * tfjs's BatchMatMul packs b afresh for every item (cost ~ K*N) and dispatches a two-thread pool
 * for a few microseconds of work; this kernel reads the operands in place. Register block: 4
 * rows x 8 columns (8 f32x4 accumulators) over the whole K; edge blocks overlap the previous
 * block (the product is recomputed and rewritten, not accumulated), so there is no tail code and
 * it needs M >= 4, N >= 8, K >= 1. The module is assembled here byte by byte (no toolchain) and
 * imports the backend's memory, shared in the threaded build.
 */
const uleb = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
const sleb = (n: number): number[] => { const o: number[] = []; for (;;) { const b = n & 0x7f; n >>= 7; if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { o.push(b); return o; } o.push(b | 0x80); } };
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const str = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
const I32 = 0x7f;
const V128 = 0x7b;
// ops
const lget = (i: number) => [0x20, ...uleb(i)], lset = (i: number) => [0x21, ...uleb(i)], ltee = (i: number) => [0x22, ...uleb(i)];
const i32c = (n: number) => [0x41, ...sleb(n)];
const add = [0x6a], mul = [0x6c], sub = [0x6b], ltS = [0x48], gtS = [0x4a];
const simd = (op: number) => [0xfd, ...uleb(op)];
const vload = (off: number) => [...simd(0x00), 4, ...uleb(off)], vstore = (off: number) => [...simd(0x0b), 4, ...uleb(off)];
const f32load = (off: number) => [0x2a, 2, ...uleb(off)];
const splat = simd(0x13), fadd = simd(0xe4), fmul = simd(0xe6);
const vzero = [...simd(0x0c), ...new Array(16).fill(0)];
const select = [0x1b];
// params: a b c M K N (0..5); locals i32: i0 6, i 7, j0 8, j 9, k 10, pa 11, pb 12, rs 13 (K*4), ns 14 (N*4), pc 15 ; v128: acc 16..23, b0 24, b1 25, s 26
const min = (x: number[], y: number[]) => [...x, ...y, ...x, ...y, ...ltS, ...select];
function gemmModule(shared: boolean): Uint8Array {
  const body: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => body.push(...x));
  e(lget(4), i32c(4), mul, lset(13), lget(5), i32c(4), mul, lset(14), i32c(0), lset(6));
  e([0x03, 0x40]); // loop i
  e(min(lget(6), [...lget(3), ...i32c(4), ...sub]), lset(7), i32c(0), lset(8));
  e([0x03, 0x40]); // loop j
  e(min(lget(8), [...lget(5), ...i32c(8), ...sub]), lset(9));
  for (let r = 0; r < 8; r++) e(vzero, lset(16 + r));
  e(lget(0), lget(7), lget(13), mul, add, lset(11)); // pa = a + i*K*4
  e(lget(1), lget(9), i32c(4), mul, add, lset(12)); // pb = b + j*4
  e(lget(4), lset(10)); // k = K
  e([0x03, 0x40]); // loop k
  e(lget(12), vload(0), lset(24), lget(12), vload(16), lset(25));
  for (let r = 0; r < 4; r++) {
    if (r === 0) e(lget(11)); else e(lget(11), lget(13), i32c(r), mul, add);
    e(f32load(0), splat, lset(26));
    e(lget(16 + 2 * r), lget(26), lget(24), fmul, fadd, lset(16 + 2 * r));
    e(lget(17 + 2 * r), lget(26), lget(25), fmul, fadd, lset(17 + 2 * r));
  }
  e(lget(11), i32c(4), add, lset(11), lget(12), lget(14), add, lset(12));
  e(lget(10), i32c(1), sub, ltee(10), i32c(0), gtS, [0x0d, 0], [0x0b]); // br_if k, end
  e(lget(2), lget(7), lget(14), mul, add, lget(9), i32c(4), mul, add, lset(15)); // pc
  for (let r = 0; r < 4; r++) {
    e(lget(15), lget(16 + 2 * r), vstore(0), lget(15), lget(17 + 2 * r), vstore(16));
    if (r < 3) e(lget(15), lget(14), add, lset(15));
  }
  e(lget(8), i32c(8), add, ltee(8), lget(5), ltS, [0x0d, 0], [0x0b]); // j loop
  e(lget(6), i32c(4), add, ltee(6), lget(3), ltS, [0x0d, 0], [0x0b]); // i loop
  e([0x0b]);
  const locals = vec([[...uleb(10), I32], [...uleb(11), V128]]);
  const func = [...locals, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0]])),
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, shared ? 0x03 : 0x01, 0, ...uleb(65536)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str("gemm"), 0x00, 0]])),
    ...section(10, vec([[...uleb(func.length), ...func]])),
  ]);
}


/** The WebAssembly API as far as used here (the project's TypeScript libs do not declare it). */
interface WasmApi {
  Memory: abstract new (...args: never[]) => { readonly buffer: ArrayBufferLike };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const instances = new WeakMap<object, (a: number, b: number, c: number, m: number, k: number, n: number) => void>();

/** The kernel bound to this wasm memory, or null where WebAssembly SIMD or the memory is unavailable. */
export function simdGemm(memory: unknown): ((a: number, b: number, c: number, m: number, k: number, n: number) => void) | null {
  if (wasmApi === undefined || !(memory instanceof wasmApi.Memory)) return null;
  let gemm = instances.get(memory);
  if (gemm === undefined) {
    try {
      const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
      const instance = new wasmApi.Instance(new wasmApi.Module(gemmModule(shared)), { env: { memory } });
      gemm = instance.exports.gemm as (a: number, b: number, c: number, m: number, k: number, n: number) => void;
    } catch {
      return null;
    }
    instances.set(memory, gemm);
  }
  return gemm;
}

/** Whether the kernel applies to an M x K x N product. */
export const simdGemmFits = (m: number, k: number, n: number): boolean => m >= 4 && n >= 8 && k >= 1;
