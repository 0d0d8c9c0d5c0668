import { test } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import * as dfd from "danfojs-node";
import { formatCell, tableToHtml, tableToText, toRows } from "../../src/report/table";

test("arquero tables, danfojs DataFrames and plain rows become the same rows", () => {
  const rows = [{ arch: "a", loss: 1.25 }, { arch: "b", loss: 2.5 }];
  assert.deepEqual(toRows(aq.from(rows)), rows);
  assert.deepEqual(toRows(new dfd.DataFrame(rows)), rows);
  assert.deepEqual(toRows(rows), rows);
  assert.throws(() => toRows({} as never), /array of rows, an arquero table or a danfojs DataFrame/);
});

test("danfojs works at run time from the registry install: describe() with its statistic names", () => {
  const described = toRows(new dfd.DataFrame({ tokens: [2, 4, 6, 8] }).describe());
  const mean = described.find((r) => r[""] === "mean");
  assert.equal(mean?.tokens, 5);
  assert.equal(described.find((r) => r[""] === "max")?.tokens, 8);
});

test("tables render as HTML and text with numbers to fixed significant digits", () => {
  const rows = [{ name: "x<y", value: 3.14159265 }, { name: "z", value: 2 }];
  const html = tableToHtml(rows, { title: "T", digits: 3 });
  assert.match(html, /<caption[^>]*>T<\/caption>/);
  assert.match(html, /x&lt;y/);
  assert.match(html, /<td style="text-align:right">3.14<\/td>/);
  assert.equal(tableToText(rows, { digits: 3 }).split("\n")[2], "x<y   3.14");
  assert.equal(formatCell(NaN), "NaN");
  assert.match(tableToHtml(Array.from({ length: 60 }, (_, i) => ({ i })), { maxRows: 50 }), /10 more rows/);
});
