/**
 * A fixed head size (AutoDistil: 64): attention width = heads × headDim, so heads change the
 * parameter count and FLOPs; without headDim, HAT's fixed qkvDim is split into heads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { archFlops, archParams, attentionWidth, defineSpace, headSize, largestArch, validateSpace } from "../../src/space/index";
import type { Arch } from "../../src/space/index";

const fixedHead = defineSpace({ name: "head8", encoder: { embedDim: [16, 24], numLayers: [1, 2], ffnDim: [32], numHeads: [1, 2, 3] }, headDim: 8 });
const hat = defineSpace({ name: "hat", encoder: { embedDim: [16, 24], numLayers: [1, 2], ffnDim: [32], numHeads: [1, 2, 4] }, qkvDim: 24 });

test("attentionWidth is heads × headDim with a fixed head size, qkvDim otherwise", () => {
  assert.equal(attentionWidth(fixedHead, 3), 24);
  assert.equal(attentionWidth(fixedHead, 1), 8);
  assert.equal(headSize(fixedHead, 3), 8);
  assert.equal(attentionWidth(hat, 1), 24);
  assert.equal(attentionWidth(hat, 4), 24);
  assert.equal(headSize(hat, 4), 6);
});

test("qkvDim of a headDim space is headDim × the largest head count: derived when omitted, checked when given", () => {
  assert.equal(fixedHead.qkvDim, 24);
  assert.equal(fixedHead.headDim, 8);
  assert.throws(() => defineSpace({ ...fixedHead, name: "wrong", qkvDim: 32 }), /qkvDim = 32 must equal headDim × the largest head count = 8 × 3 = 24/);
  assert.throws(() => defineSpace({ ...fixedHead, name: "zero", headDim: 0 }), /headDim = 0 must be a positive integer/);
  // Heads need not divide anything: 3 heads of 8.
  validateSpace(fixedHead);
  assert.throws(() => defineSpace({ ...hat, name: "hat3", encoder: { ...hat.encoder, numHeads: [5] } }), /encoder\.numHeads choices 5 do not divide qkvDim = 24/);
  const seq2seq = defineSpace({
    name: "head-seq2seq",
    encoder: { embedDim: [16], numLayers: [1], ffnDim: [32], numHeads: [2] },
    decoder: { embedDim: [16], numLayers: [1], ffnDim: [32], selfHeads: [1, 2], crossHeads: [3], crossLayers: [1] },
    headDim: 4,
  });
  assert.equal(seq2seq.qkvDim, 12, "the widest attention of any kind");
});

test("a heads change changes the parameter count and FLOPs in a headDim space but not in a HAT space", () => {
  const arch = (space: typeof hat, heads: number): Arch => ({ encoder: { embedDim: 16, numLayers: 2, ffnDim: [32, 32], numHeads: [heads, heads] } });
  const flops = { srcLen: 5, tgtLen: 1, includeEmbeddings: false } as const;
  assert.equal(archParams(hat, arch(hat, 1), 0, { includeEmbeddings: false }), archParams(hat, arch(hat, 4), 0, { includeEmbeddings: false }));
  assert.equal(archFlops(hat, arch(hat, 1), flops), archFlops(hat, arch(hat, 4), flops));
  const p1 = archParams(fixedHead, arch(fixedHead, 1), 0, { includeEmbeddings: false });
  const p3 = archParams(fixedHead, arch(fixedHead, 3), 0, { includeEmbeddings: false });
  // Per layer: q, k, v (16 × 8h + 8h each) and o (8h × 16 + 16): (4·16·8 + 3·8) per head.
  assert.equal(p3 - p1, 2 * 2 * (4 * 16 * 8 + 3 * 8));
  const f1 = archFlops(fixedHead, arch(fixedHead, 1), flops);
  const f3 = archFlops(fixedHead, arch(fixedHead, 3), flops);
  // Per layer, per extra head: 2 × (S·4·e·8 + 2·S·S·8) multiply-adds.
  assert.equal(f3 - f1, 2 * 2 * 2 * (5 * 4 * 16 * 8 + 2 * 5 * 5 * 8));
  assert.equal(largestArch(fixedHead).encoder.numHeads[0], 3);
});
