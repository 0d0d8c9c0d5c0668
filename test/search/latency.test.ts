import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { getSpace, largestArch, smallestArch, archKey } from "../../src/space";
import { createSupernet, makeSupernetConfig } from "../../src/supernet";
import { latencyByHalf, latencyHalves, latencyReliability, measureLatencies, measureLatency, measureLatencyRounds, type LatencyRow } from "../../src/search";
import { useBackend } from "../helpers/backend";

useBackend();

const space = getSpace("tiny");

test("latency is the median of the timed runs and measuring leaves no tensor behind", async () => {
  const model = createSupernet(makeSupernetConfig(space, 200), 1);
  // The first run fills persistent caches (position tables); after it memory must stay flat.
  await measureLatency(model, largestArch(space), { srcLen: 6, tgtLen: 4, warmup: 0, repeats: 1 });
  const before = tf.memory().numTensors;
  const rows = await measureLatencies(model, [largestArch(space), smallestArch(space)], { srcLen: 6, tgtLen: 4, warmup: 1, repeats: 3 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(rows.map((r) => r.arch), [archKey(largestArch(space)), archKey(smallestArch(space))]);
  for (const r of rows) {
    assert.equal(r.runs.length, 3);
    assert.ok(r.runs.every((ms) => ms > 0));
    assert.equal(r.ms, [...r.runs].sort((a, b) => a - b)[1]);
  }
});

test("bad latency options name the field and the allowed range", async () => {
  const model = createSupernet(makeSupernetConfig(space, 200), 1);
  await assert.rejects(() => measureLatency(model, largestArch(space), { repeats: 0 }), /repeats = 0 must be an integer >= 1/);
  await assert.rejects(() => measureLatency(model, largestArch(space), { srcLen: 2.5 }), /srcLen = 2.5 must be an integer >= 1/);
  const bad = { ...largestArch(space), encoder: { ...largestArch(space).encoder, embedDim: 7 } };
  await assert.rejects(() => measureLatency(model, bad), /embedDim/);
});

test("rounds keep each pass over the list apart and pool their runs", async () => {
  const model = createSupernet(makeSupernetConfig(space, 200), 1);
  await measureLatency(model, largestArch(space), { srcLen: 6, tgtLen: 4, warmup: 0, repeats: 1 });
  const before = tf.memory().numTensors;
  const archs = [largestArch(space), smallestArch(space)];
  const rows = await measureLatencies(model, archs, { srcLen: 6, tgtLen: 4, warmup: 0, repeats: 3, rounds: 2 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(rows.map((r) => r.arch), archs.map(archKey));
  for (const r of rows) {
    assert.equal(r.runs.length, 6);
    assert.equal(r.roundMs.length, 2);
    assert.equal(r.roundMs[0], [...r.runs.slice(0, 3)].sort((a, b) => a - b)[1]);
    assert.equal(r.roundMs[1], [...r.runs.slice(3)].sort((a, b) => a - b)[1]);
    const pooled = [...r.runs].sort((a, b) => a - b);
    assert.equal(r.ms, (pooled[2] + pooled[3]) / 2);
  }
  await assert.rejects(() => measureLatencies(model, archs, { rounds: 0 }), /rounds = 0 must be an integer >= 1/);
  await assert.rejects(() => measureLatencies(model, archs, { repeats: 0 }), /repeats = 0 must be an integer >= 1/);
});

test("subnets of several models are timed in the same rounds, each on its own model", async () => {
  const moeSpace = getSpace("tiny-moe");
  const dense = createSupernet(makeSupernetConfig(space, 200), 1);
  const moe = createSupernet(makeSupernetConfig(moeSpace, 200), 1);
  const subjects = [{ model: dense, arch: largestArch(space) }, { model: moe, arch: largestArch(moeSpace) }, { model: dense, arch: smallestArch(space) }];
  await measureLatencyRounds(subjects, { srcLen: 6, tgtLen: 4, warmup: 0, repeats: 1 });
  const before = tf.memory().numTensors;
  const rows = await measureLatencyRounds(subjects, { srcLen: 6, tgtLen: 4, warmup: 0, repeats: 1, rounds: 3 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(rows.map((r) => r.arch), subjects.map((s) => archKey(s.arch)));
  for (const r of rows) assert.deepEqual(r.roundMs, r.runs);
  assert.deepEqual(await measureLatencyRounds([], { rounds: 2 }), []);
  // A sparse arch is not the dense model's: each subject runs on its own model, never on the list's first.
  await assert.rejects(() => measureLatencyRounds([{ model: moe, arch: largestArch(moeSpace) }, { model: dense, arch: largestArch(moeSpace) }], { srcLen: 6, tgtLen: 4, repeats: 1 }), /cannot serve .*experts/);
});

test("latency reliability is the rounds' Kendall tau with its interval, against a bar", () => {
  const row = (arch: string, a: number, b: number): LatencyRow => ({ arch, ms: (a + b) / 2, runs: [a, b], roundMs: [a, b] });
  const steady = latencyReliability([row("a", 10, 11), row("b", 20, 22), row("c", 30, 27), row("d", 40, 44), row("e", 50, 50)]);
  assert.equal(steady.n, 5);
  assert.equal(steady.kendall, 1);
  assert.ok(steady.reliable);
  assert.ok(steady.kendallCi[0] > 0.7 && steady.kendallCi[1] === 1);
  // |b - a| / mean: 1/10.5, 2/21, 3/28.5, 4/42, 0; the median is the middle one.
  const relative = [1 / 10.5, 2 / 21, 3 / 28.5, 4 / 42, 0].sort((x, y) => x - y);
  assert.ok(Math.abs(steady.medianRelativeDifference - relative[2]) < 1e-12);
  const shuffled = latencyReliability([row("a", 10, 50), row("b", 20, 40), row("c", 30, 30), row("d", 40, 20), row("e", 50, 10)]);
  assert.equal(shuffled.kendall, -1);
  assert.equal(shuffled.reliable, false);
  assert.equal(latencyReliability([row("a", 1, 1), row("b", 2, 3), row("c", 3, 2), row("d", 4, 4), row("e", 5, 5)], 0.2).threshold, 0.2);
  const single: LatencyRow = { arch: "x", ms: 5, runs: [5], roundMs: [5] };
  assert.throws(() => latencyReliability([row("a", 1, 1), single, row("c", 3, 3), row("d", 4, 4), row("e", 5, 5)]), /same even number of rounds, at least 2 .* x has 1 against 2 for a/);
  assert.throws(() => latencyReliability([row("a", 1, 1), row("b", 2, 2), row("c", 3, 3), row("d", 4, 4)]), /at least 5 subnets; got 4/);
});

test("with four rounds, reliability compares rounds 1 and 4 pooled against rounds 2 and 3", () => {
  assert.deepEqual(latencyHalves(2), [[1], [2]]);
  assert.deepEqual(latencyHalves(8), [[1, 4, 5, 8], [2, 3, 6, 7]]);
  assert.throws(() => latencyHalves(3), /rounds = 3 must be an even integer >= 2/);
  // One run per round: round 2 alone reverses the order, but rounds 2 and 3 pooled keep it.
  const r1 = [10, 20, 30, 40, 50];
  const r2 = [14, 13, 12, 11, 10];
  const r3 = [100, 200, 300, 400, 500];
  const r4 = [12, 22, 32, 42, 52];
  const rows: LatencyRow[] = r1.map((_, i) => ({ arch: `s${i}`, ms: 0, runs: [r1[i], r2[i], r3[i], r4[i]], roundMs: [r1[i], r2[i], r3[i], r4[i]] }));
  const halves = latencyByHalf(rows);
  halves.forEach(([a, b], i) => {
    assert.equal(a, (r1[i] + r4[i]) / 2);
    assert.equal(b, (r2[i] + r3[i]) / 2);
  });
  const rel = latencyReliability(rows);
  assert.equal(rel.rounds, 4);
  assert.deepEqual(rel.halves, [[1, 4], [2, 3]]);
  assert.equal(rel.kendall, 1);
  const relative = halves.map(([a, b]) => Math.abs(b - a) / ((a + b) / 2)).sort((x, y) => x - y);
  assert.ok(Math.abs(rel.medianRelativeDifference - relative[2]) < 1e-12);
  // Several runs per round: each half pools its rounds' runs before the median.
  const three: LatencyRow = { arch: "t", ms: 0, runs: [1, 2, 3, 10, 11, 12, 20, 21, 22, 4, 5, 6], roundMs: [2, 11, 21, 5] };
  assert.deepEqual(latencyByHalf([three]), [[(3 + 4) / 2, (12 + 20) / 2]]);
  assert.throws(() => latencyByHalf([{ ...three, runs: three.runs.slice(1) }]), /t has 11 runs over 4 rounds/);
  assert.throws(() => latencyByHalf([three, { ...three, arch: "u", roundMs: [1, 2] }]), /u has 2 against 4 for t/);
});
