import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/util/rng";

test("the same seed gives the same stream, and a saved state resumes it", () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const xs = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.next()));
  const saved = a.state();
  const next = a.nextUint32();
  assert.equal(new Rng(saved).nextUint32(), next);
  assert.notDeepEqual(new Rng(8).next(), xs[0]);
});

test("int is uniform enough over a small range and stays in range", () => {
  const rng = new Rng(1);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 8000; i++) counts[rng.int(4)]++;
  for (const c of counts) assert.ok(c > 1800 && c < 2200, `count ${c}`);
  assert.throws(() => rng.int(0), /positive integer/);
});

test("shuffle is a permutation", () => {
  const out = new Rng(3).shuffle([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(out.slice().sort(), [1, 2, 3, 4, 5, 6]);
});
