import { test } from "node:test";
import assert from "node:assert/strict";
import { averageRanks } from "../../src/stats";

test("averageRanks gives tied values the mean of the ranks they span", () => {
  assert.deepEqual(averageRanks([10, 20, 20, 30]), [1, 2.5, 2.5, 4]);
  assert.deepEqual(averageRanks([3, 1, 2]), [3, 1, 2]);
  assert.deepEqual(averageRanks([5, 5, 5]), [2, 2, 2]);
  assert.deepEqual(averageRanks([Infinity, -Infinity, 0]), [3, 1, 2]);
  // scipy.stats.rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
  assert.deepEqual(averageRanks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]), [4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8]);
});
