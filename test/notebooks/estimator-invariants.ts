/**
 * Invariants of notebooks 02 and 04, the supernet-as-estimator studies: the ground truth has the
 * preset's stratified design with every seed, reliability is computed over all of it, every method
 * of a comparison made the same subnet training passes (equal compute), the equal-updates view is
 * labelled with its own pass counts, MAGIC-A's anchor record starts at the largest subnet, collapsed
 * MoS subnets reproduce the MoS logits, and published rows equal data/published.
 */
import assert from "node:assert/strict";
import type { NotebookResultsFile } from "../../src/report/results";
import { loadPublished } from "../../src/report/published";
import { translationPresets } from "../../src/config/translation-presets";
import { passesPerUpdate, MethodName, methodNames } from "../../src/estimator/methods";
import { groundTruthSpec } from "../../src/estimator/ground-truth-spec";
import { archKey, getSpace, largestArch } from "../../src/space/index";
import type { PresetName } from "../../src/config/preset";

type Row = Record<string, any>;
const rowsOf = (r: NotebookResultsFile, key: string): Row[] => {
  assert.ok(key in r.entries, `${r.notebook}: no entry "${key}"`);
  return (r.entries[key] as { rows: Row[] }).rows;
};

/**
 * A paired comparison of estimators: one entry per pair of the table's methods, the higher tau
 * first, its estimate the difference of the table's Kendall taus, over the same subnets.
 */
export function checkPairedDifferences(r: NotebookResultsFile, key: string, table: readonly Row[], nameField: string): void {
  assert.ok(key in r.entries, `${r.notebook}: no entry "${key}"`);
  const paired = r.entries[key] as { method: string; versus: string; difference: { estimate: number; ci: [number, number]; n: number } }[];
  const tau = new Map(table.map((t) => [t[nameField] as string, t.kendall as { estimate: number; n: number }]));
  assert.equal(paired.length, (table.length * (table.length - 1)) / 2, `${key}: one difference per pair of ${table.length} methods`);
  const pairs = new Set(paired.map((p) => [p.method, p.versus].sort().join(" | ")));
  assert.equal(pairs.size, paired.length, `${key}: every pair once`);
  for (const p of paired) {
    const [a, b] = [tau.get(p.method), tau.get(p.versus)];
    assert.ok(a && b, `${key}: ${p.method} and ${p.versus} are rows of the table`);
    assert.ok(a.estimate >= b.estimate, `${key}: ${p.method} (${a.estimate}) has the higher tau than ${p.versus} (${b.estimate})`);
    assert.ok(Math.abs(p.difference.estimate - (a.estimate - b.estimate)) < 1e-9, `${key}: ${p.method} - ${p.versus} is ${p.difference.estimate}, the table says ${a.estimate - b.estimate}`);
    assert.equal(p.difference.n, a.n, `${key}: paired over the table's ${a.n} subnets`);
  }
}

/** The results file's ground-truth entry names the preset's spec, covers its whole design and has two or more seeds. */
export function checkGroundTruth(r: NotebookResultsFile, subnets: number): void {
  const preset = r.preset as PresetName;
  const spec = groundTruthSpec(preset);
  const gt = r.entries.groundTruth as Row;
  assert.equal(gt.spec, spec.name);
  assert.equal(gt.subnets, translationPresets[preset].groundTruthSubnets, "every subnet of the design has a result");
  assert.equal(subnets, gt.subnets);
  assert.deepEqual(gt.seeds, spec.seeds);
  assert.ok(gt.seeds.length >= 2, "two seeds, so the ground truth's stability is measured");
  assert.equal(typeof gt.source, "string");
}

/** Notebook 02: equal passes for the three models, collapse reproduces MoS, gap over the ground truth. */
export function mixtureOfSupernetsInvariants(r: NotebookResultsFile): void {
  const compute = rowsOf(r, "table.compute");
  assert.equal(compute.length, 3);
  const passes = new Set(compute.map((c) => c.subnetPasses));
  assert.equal(passes.size, 1, `every model made the same subnet passes: ${[...passes]}`);
  assert.equal(compute[0].subnetPasses, compute[0].updates * passesPerUpdate("sandwich"));
  const gap = rowsOf(r, "table.gap");
  assert.deepEqual(gap.map((g) => g.model), compute.map((c) => c.model));
  checkGroundTruth(r, gap[0].subnets);
  for (const g of gap) assert.equal(g.kendall.n, g.subnets);
  checkPairedDifferences(r, "rankAgreement.paired", gap, "model");
  const findings = r.entries.findings as string[];
  assert.ok(findings.some((f) => f.startsWith(`How far ${compute[0].subnetPasses} subnet passes trained the models`)), "the findings say how far the budget trained the models");
  const collapse = r.entries.collapse as { rows: Row[]; tolerance: number };
  assert.ok(collapse.rows.length >= 2);
  for (const c of collapse.rows) {
    assert.ok(c.maxAbsDifference <= collapse.tolerance, `collapsed ${c.model} ${c.arch}: logits differ by ${c.maxAbsDifference}`);
    assert.equal(c.collapsedWeights, c.hatSubnetWeights, `collapsed ${c.arch} has the HAT subnet's weight count`);
    assert.equal(c.expertOrRouterWeights, 0);
  }
}

/** Notebook 04: equal compute across methods, the labelled equal-updates view, reliability over the design, the anchor record, published rows. */
export function rankCorrelationInvariants(r: NotebookResultsFile): void {
  const preset = r.preset as PresetName;
  const truth = rowsOf(r, "table.groundTruth");
  checkGroundTruth(r, truth.length);
  for (const t of truth) assert.ok(Number.isFinite(t.lossSeed1) && Number.isFinite(t.lossSeed2) && Math.abs(t.meanLoss - (t.lossSeed1 + t.lossSeed2) / 2) < 1e-9);
  const reliability = r.entries.reliability as Row;
  assert.equal(reliability.kendall.n, truth.length);
  assert.equal(reliability.reliable, reliability.kendall.estimate > reliability.threshold);
  // Shipped lengths of this design: ordered, distinct, and the one in use (when shipped) agreeing with the reliability shown.
  const byLength = rowsOf(r, "table.groundTruthByLength");
  assert.deepEqual(byLength.map((b) => b.updates), [...new Set(byLength.map((b) => b.updates as number))].sort((a, b) => a - b), "lengths ascend, each once");
  for (const b of byLength) assert.equal(b.reliable, b.seedKendall.estimate > reliability.threshold, `${b.updates} updates: reliable means Kendall above the bar`);
  const gt = r.entries.groundTruth as Row;
  const inUse = byLength.find((b) => b.updates === gt.updates);
  assert.equal(inUse !== undefined, gt.shipped === true, "the length in use is listed exactly when it is shipped");
  if (inUse) assert.ok(Math.abs(inUse.seedKendall.estimate - reliability.kendall.estimate) < 1e-12, "the shipped row in use is the reliability shown");

  const accounting = r.entries.accounting as { budgetPasses: number; methods: Row[] };
  assert.equal(accounting.budgetPasses, 3 * translationPresets[preset].comparisonUpdates);
  assert.deepEqual(accounting.methods.map((m) => m.method), [...methodNames]);
  for (const m of accounting.methods) {
    const ppu = passesPerUpdate(m.method as MethodName);
    assert.equal(m.trainPasses, m.updates * ppu, `${m.method}: passes = updates x subnets per update`);
    assert.ok(m.trainPasses <= accounting.budgetPasses && m.trainPasses > accounting.budgetPasses - ppu, `${m.method}: ${m.trainPasses} passes for a budget of ${accounting.budgetPasses}`);
    assert.ok(m.forwardPasses >= (m.method === "magic-t+a" ? m.updates : 0));
  }
  const equalCompute = rowsOf(r, "table.equalCompute");
  assert.deepEqual(equalCompute.map((e) => e.trainPasses), accounting.methods.map((m) => m.trainPasses));
  for (const e of equalCompute) {
    assert.equal(e.kendall.n, truth.length);
    // Wall time is shown for every method, also one restored from 02's checkpoint (which records it).
    assert.ok(typeof e.seconds === "number" && e.seconds > 0, `${e.method}: wall time ${e.seconds}`);
    assert.ok(Math.abs(e.kendallWidth - (e.kendall.ci[1] - e.kendall.ci[0])) < 1e-12, "the interval width shown is the interval's");
  }
  checkPairedDifferences(r, "equalCompute.paired", equalCompute, "method");
  const equalUpdates = rowsOf(r, "table.equalUpdates");
  checkPairedDifferences(r, "equalUpdates.paired", equalUpdates, "method");
  for (const e of equalUpdates) assert.equal(e.trainPasses, e.updates * passesPerUpdate(e.method as MethodName), `${e.method}: the equal-updates view shows its own passes`);

  const anchor = r.entries.anchor as { summary: Row; history: Row[] };
  const largest = archKey(largestArch(getSpace(translationPresets[preset].space)));
  assert.equal(anchor.history[0].kind, "initial");
  assert.equal(anchor.history[0].arch, largest, "the anchor starts at the largest subnet");
  assert.equal(anchor.summary.offers, anchor.history.length - 1);
  assert.equal(anchor.summary.changes, anchor.history.filter((h) => h.changed).length);

  const published = rowsOf(r, "table.published");
  const source = loadPublished("magic_kendall_secondary.csv");
  assert.equal(published.length, source.length);
  published.forEach((row, i) => {
    assert.equal(String(row.kendall), String(source[i].kendall_tau), `published row ${i}: kendall`);
    assert.equal(row.source, source[i].source);
  });
}

/** Invariants by notebook name. */
export const estimatorInvariants: Record<string, (r: NotebookResultsFile) => void> = {
  "02-mixture-of-supernets": mixtureOfSupernetsInvariants,
  "04-rank-correlation": rankCorrelationInvariants,
};
