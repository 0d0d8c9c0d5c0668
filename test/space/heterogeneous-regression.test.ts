/**
 * Homogeneous spaces, fixed head sizes and MLP ratios are optional: a space that declares none
 * of them must keep its gene list and its seeded random stream. The expected values were
 * recorded before those options existed (test/space/heterogeneous-regression.json).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { archKey, bertSpaces, crossover, encodeArch, geneSpecs, largestArch, mutate, resampleOneGeneWithKey, sampleArch, smallestArch, spaces } from "../../src/space/index";
import type { SearchSpace } from "../../src/space/index";
import { Rng } from "../../src/util/rng";

const expected = JSON.parse(readFileSync(path.join(__dirname, "heterogeneous-regression.json"), "utf8")) as Record<string, Record<string, unknown>>;
const hash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

/** The same summary the recorded values were made with: gene list, corners, and a seeded stream of samples and operators. */
function summary(space: SearchSpace): Record<string, unknown> {
  const keys = geneSpecs(space).map((s) => `${s.key}:${s.choices.join("/")}`);
  const rng = new Rng(7);
  const rows: string[] = [];
  for (let i = 0; i < 3; i++) {
    const a = sampleArch(space, rng);
    const b = sampleArch(space, rng);
    const m = mutate(space, a, rng);
    const c = crossover(space, a, b, rng);
    const r = resampleOneGeneWithKey(space, a, rng);
    rows.push(archKey(a), archKey(m), archKey(c), `${r.key}=>${archKey(r.arch)}`, encodeArch(space, b).join(""));
  }
  return { genes: keys.length, geneHash: hash(keys.join(";")), largest: archKey(largestArch(space)), smallest: archKey(smallestArch(space)), seeded: hash(rows.join(";")), first: rows.slice(0, 4) };
}

const heterogeneous: Record<string, SearchSpace> = { ...spaces, "bert-tiny": bertSpaces["bert-tiny"], "bert-small": bertSpaces["bert-small"] };

for (const [name, space] of Object.entries(heterogeneous)) {
  test(`space "${name}" keeps its genes, corners and seeded samples/mutations/crossovers`, () => {
    assert.ok(expected[name], `no recorded values for "${name}"`);
    assert.deepEqual(summary(space), expected[name]);
  });
}
