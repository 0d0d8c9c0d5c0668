import { test } from "node:test";
import assert from "node:assert/strict";
import { scatterFigure } from "../../src/report/figure-spec";

test("scatter error bars reach the plotly trace, asymmetric, and bad ones are refused by name", () => {
  const fig = scatterFigure([{ name: "a", x: [1, 2], y: [3, 4], xError: { minus: [0.5, 0], plus: [1, 2] } }, { name: "b", x: [5], y: [6] }]);
  const [a, b] = fig.data as Record<string, any>[];
  assert.deepEqual(a.error_x, { type: "data", symmetric: false, arrayminus: [0.5, 0], array: [1, 2] });
  assert.equal(a.error_y, undefined);
  assert.equal(b.error_x, undefined);
  assert.equal(JSON.parse(JSON.stringify(b)).error_x, undefined, "no bars, no field in the JSON");
  assert.throws(() => scatterFigure([{ name: "c", x: [1, 2], y: [1, 2], yError: { minus: [1], plus: [1, 1] } }]), /series "c": yError.minus must hold 2 numbers >= 0 \(one per point\); got \[1\]/);
  assert.throws(() => scatterFigure([{ name: "d", x: [1], y: [1], xError: { minus: [0], plus: [-1] } }]), /series "d": xError.plus must hold 1 numbers >= 0/);
});
