import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { loadPublished, publishedDir } from "../../src/report/published";

const shared = path.resolve(__dirname, "..", "..", "..", "shared", "published");

test("the published tables in data/published are the project's shared copy, byte for byte", { skip: !fs.existsSync(shared) && "no shared/ folder beside the repository" }, () => {
  const files = fs.readdirSync(shared).filter((f) => f.endsWith(".csv"));
  assert.ok(files.length > 0);
  for (const f of files) assert.ok(fs.readFileSync(path.join(shared, f)).equals(fs.readFileSync(path.join(publishedDir(), f))), `${f} differs from shared/published: copy it again`);
});

test("published rows keep their source column, and a missing table is a clear error", () => {
  const rows = loadPublished("magic_kendall_secondary.csv");
  assert.ok(rows.length >= 3);
  for (const r of rows) assert.ok(r.source && r.source.length > 10, "every row names its source");
  assert.equal(rows.find((r) => r.method.startsWith("MAGIC-T (gradual"))?.kendall_tau, "0.49");
  assert.throws(() => loadPublished("nope.csv"), /published table .*nope.csv not found; files there: .*magic_kendall_secondary.csv/);
});
