/**
 * Invariants of the notebooks' results files: what must hold whatever the numbers of a `tiny` run
 * turn out to be. They never test an outcome (on `tiny` that is noise); they test that what a
 * notebook states is consistent with itself and with its inputs: every interval contains its
 * estimate, tables have the rows of what was evaluated, an extracted subnet reproduces the
 * supernet within its tolerance, compared searches scored the same number of subnets, published
 * rows equal data/published. `checkResultsFile` applies to every notebook; `notebookInvariants`
 * adds one notebook's own.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { NotebookResultsFile, estimateViolations, isEstimate, resultsFormat } from "../../src/report/results";
import { loadPublished } from "../../src/report/published";
import { autoDistilRows, nasBertRows } from "../../src/report/bert-comparison";
import { datasets } from "../../src/data/registry";
import { describeTask, downstreamTask, fixedSubset, majorityBaseline } from "../../src/data/bert/index";
import { groundTruthSpec } from "../../src/estimator/ground-truth-spec";
import type { PresetName } from "../../src/config/preset";
import { translationPresets } from "../../src/config/translation-presets";
import { latencyHalves } from "../../src/search/latency";
import { checkGroundTruth, checkPairedDifferences } from "./estimator-invariants";

type Row = Record<string, unknown>;
type Entries = Record<string, unknown>;

/** Reads and parses a results file, with errors naming the file. */
export function readResultsFile(file: string): NotebookResultsFile {
  assert.ok(fs.existsSync(file), `results file ${file} was not written`);
  const r = JSON.parse(fs.readFileSync(file, "utf8")) as NotebookResultsFile;
  assert.equal(r.format, resultsFormat, `${file}: format`);
  return r;
}

/** Whether a and b agree to a relative (and absolute) tolerance. */
function close(a: unknown, b: unknown, tol = 1e-9): boolean {
  return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

function entry<T = unknown>(r: NotebookResultsFile, key: string): T {
  assert.ok(key in r.entries, `${r.notebook}: no entry "${key}"; recorded: ${Object.keys(r.entries).join(", ")}`);
  return r.entries[key] as T;
}

/** The rows of table entry `key`, each checked to have `columns`; `count` when given. */
function tableRows(r: NotebookResultsFile, key: string, columns: readonly string[], count?: number): Row[] {
  const { rows } = entry<{ rows: Row[] }>(r, key);
  if (count !== undefined) assert.equal(rows.length, count, `${r.notebook} ${key}: rows`);
  rows.forEach((row, i) => {
    for (const c of columns) assert.ok(c in row, `${r.notebook} ${key} row ${i}: no column "${c}" (has ${Object.keys(row).join(", ")})`);
  });
  return rows;
}

/** Each row's `value` lies in [lo, hi] (a mean with its interval shown as columns). */
function rowsWithinIntervals(where: string, rows: readonly Row[], value: string, lo: string, hi: string): void {
  rows.forEach((row, i) => {
    const [v, l, h] = [row[value], row[lo], row[hi]] as number[];
    assert.ok(l <= v && v <= h, `${where} row ${i}: ${value} ${v} outside [${l}, ${h}]`);
  });
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Options of the checks every results file gets. */
export interface ResultsFileExpectations {
  readonly notebook: string;
  readonly preset: string;
  /** The notebook's figures folder: every name listed under `figures` must have its PNG and HTML there. */
  readonly figuresDir?: string;
}

/**
 * What every notebook's results file must satisfy: its format, notebook and preset; provenance
 * with a backend; non-empty findings; every estimate's interval containing it with n >= 1; tables
 * shaped `{ title, rows, note? }`; published rows equal to data/published; listed figures written.
 */
export function checkResultsFile(r: NotebookResultsFile, expected: ResultsFileExpectations): void {
  const where = `${expected.notebook} results`;
  assert.equal(r.format, resultsFormat, `${where}: format`);
  assert.equal(r.notebook, expected.notebook, `${where}: notebook`);
  assert.equal(r.preset, expected.preset, `${where}: preset`);
  assert.equal(r.provenance?.preset, expected.preset, `${where}: provenance.preset`);
  assert.ok(typeof r.provenance?.backend === "string" && r.provenance.backend.length > 0 && r.provenance.backend !== "none", `${where}: provenance.backend is ${r.provenance?.backend}`);
  assert.ok(typeof r.entries === "object" && r.entries !== null, `${where}: entries`);

  const findings = r.entries.findings;
  assert.ok(Array.isArray(findings) && findings.length > 0, `${where}: findings must be a non-empty array`);
  for (const f of findings) assert.ok(typeof f === "string" && f.trim().length > 0, `${where}: a finding is not a non-empty string: ${JSON.stringify(f)}`);

  assert.deepEqual(estimateViolations(r.entries), [], `${where}: estimates`);

  for (const [key, value] of Object.entries(r.entries as Entries)) {
    if (key.startsWith("table.")) {
      const t = value as { title?: unknown; rows?: unknown; note?: unknown };
      assert.ok(typeof t.title === "string" && t.title.length > 0, `${where} ${key}: title`);
      assert.ok(Array.isArray(t.rows), `${where} ${key}: rows must be an array`);
      for (const row of t.rows as unknown[]) assert.ok(typeof row === "object" && row !== null && !Array.isArray(row), `${where} ${key}: a row is not an object`);
      assert.ok(t.note === undefined || typeof t.note === "string", `${where} ${key}: note`);
    }
    if (key.startsWith("published.")) checkPublished(`${where} ${key}`, value);
  }

  const figures = r.entries.figures;
  if (figures !== undefined) {
    assert.ok(Array.isArray(figures) && figures.length > 0 && figures.every((f) => typeof f === "string"), `${where}: figures must be a non-empty string array`);
    if (expected.figuresDir) {
      for (const f of figures as string[]) {
        for (const ext of ["png", "html"]) assert.ok(fs.existsSync(path.join(expected.figuresDir, `${f}.${ext}`)), `${where}: figure ${f}.${ext} not in ${expected.figuresDir}`);
      }
    }
  }
}

/** A `published.*` entry `{ file, rows: [{ row, values }] }`: each row equals that row of data/published/<file>. */
function checkPublished(where: string, value: unknown): void {
  const { file, rows } = value as { file: string; rows: { row: number; values: Record<string, string> }[] };
  assert.ok(typeof file === "string" && file.endsWith(".csv"), `${where}: file`);
  assert.ok(Array.isArray(rows) && rows.length > 0, `${where}: rows must be a non-empty array`);
  const published = loadPublished(file);
  for (const { row, values } of rows) {
    assert.ok(Number.isInteger(row) && row >= 0 && row < published.length, `${where}: row ${row} not in ${file} (${published.length} rows)`);
    assert.deepEqual(values, published[row], `${where}: row ${row} differs from ${file}`);
  }
}

/** The same subnets evaluated alike give finite losses, a perplexity of exp(loss), and BLEU in [0, 100]. */
function checkSubnetRows(where: string, rows: readonly Row[]): void {
  rows.forEach((row, i) => {
    assert.ok(isFiniteNumber(row.validLoss) && row.validLoss > 0, `${where} row ${i}: validLoss ${row.validLoss}`);
    if ("perplexity" in row) assert.ok(close(row.perplexity, Math.exp(row.validLoss as number)), `${where} row ${i}: perplexity is not exp(validLoss)`);
    if (row.bleu !== null && row.bleu !== undefined) assert.ok(isFiniteNumber(row.bleu) && row.bleu >= 0 && row.bleu <= 100, `${where} row ${i}: bleu ${row.bleu}`);
  });
}

/** One function per notebook: its own invariants, applied after `checkResultsFile`. */
export const notebookInvariants: Record<string, (r: NotebookResultsFile) => void> = {
  "00-quickstart": (r) => {
    const registered = tableRows(r, "table.datasets", ["dataset", "task", "source", "licence"], datasets.length);
    assert.deepEqual(registered.map((d) => d.dataset), datasets.map((d) => d.name), "table.datasets lists the registry");
    const splits = tableRows(r, "table.splits", ["dataset", "split", "side", "examples", "words", "tokens", "wordsPerExample", "meanTokens", "maxTokens"]);
    assert.deepEqual([...new Set(splits.map((s) => s.dataset))].sort(), datasets.map((d) => d.name).sort(), "table.splits covers every data set");
    for (const s of splits) {
      assert.ok(Number.isInteger(s.examples) && (s.examples as number) >= 1, `table.splits: examples ${s.examples}`);
      assert.ok(close(s.wordsPerExample, (s.words as number) / (s.examples as number)), "table.splits: wordsPerExample is words / examples");
      assert.ok((s.meanTokens as number) <= (s.maxTokens as number), "table.splits: meanTokens <= maxTokens");
    }
    const updates = entry<number>(r, "updates");
    const valid = tableRows(r, "table.validLoss", ["step", "arch", "validLoss", "perplexity"]);
    checkSubnetRows("table.validLoss", valid);
    assert.equal(valid[0].step, 0, "validated before the first update");
    assert.equal(valid[valid.length - 1].step, updates, "validated after the last update");
    valid.slice(1).forEach((v, i) => assert.ok((v.step as number) > (valid[i].step as number), "steps increase"));
    const loss = entry<{ first: number; last: number; falls: boolean }>(r, "validLoss");
    assert.equal(loss.first, valid[0].validLoss);
    assert.equal(loss.last, valid[valid.length - 1].validLoss);
    assert.equal(loss.falls, loss.last < loss.first, "falls says whether the last loss is below the first");
    const findings = entry<string[]>(r, "findings");
    assert.match(findings[0], /^validation loss [\d.]+ -> [\d.]+ \((falls|DOES NOT FALL)\)$/);
    assert.equal(findings[0].endsWith("(falls)"), loss.falls, "the printed verdict agrees with the recorded losses");
  },

  "01-supernet": (r) => {
    const subnets = entry<{ evaluated: number; requested: number }>(r, "subnets");
    assert.ok(subnets.evaluated >= 2 && subnets.evaluated <= subnets.requested, `subnets: ${subnets.evaluated} of ${subnets.requested}`);
    const inherited = tableRows(r, "table.inherited", ["arch", "params", "flops", "validLoss", "perplexity", "bleu"], subnets.evaluated);
    checkSubnetRows("table.inherited", inherited);
    assert.equal(new Set(inherited.map((x) => x.arch)).size, inherited.length, "table.inherited: distinct subnets");

    const extraction = entry<{ subnets: number; maxAbsDifference: number; tolerance: number }>(r, "extraction");
    assert.equal(extraction.subnets, inherited.length, "every evaluated subnet is extracted");
    assert.ok(extraction.tolerance > 0 && extraction.tolerance <= 1e-3, `extraction tolerance ${extraction.tolerance}`);
    assert.ok(isFiniteNumber(extraction.maxAbsDifference) && extraction.maxAbsDifference >= 0, `extraction difference ${extraction.maxAbsDifference}`);
    assert.ok(extraction.maxAbsDifference <= extraction.tolerance, `an extracted subnet's logits differ from the supernet's by ${extraction.maxAbsDifference} > ${extraction.tolerance}`);

    // The standalone side is the ground truth of notebooks 02 and 04: the whole design, every row paired with it.
    const gap = tableRows(r, "table.gap", ["arch", "params", "inheritedLoss", "standaloneLoss", "gap"]);
    checkGroundTruth(r, gap.length);
    assert.equal(new Set(gap.map((g) => g.arch)).size, gap.length, "table.gap: distinct subnets");
    assert.deepEqual(gap.map((g) => g.arch as string).sort(), [...groundTruthSpec(r.preset as PresetName).archs].sort(), "table.gap: exactly the ground truth's subnets");
    gap.forEach((g, i) => assert.ok(close(g.gap, (g.standaloneLoss as number) - (g.inheritedLoss as number)), `table.gap row ${i}: gap = standalone - inherited`));
    const meanGap = entry(r, "gap.meanLoss");
    assert.ok(isEstimate(meanGap), "gap.meanLoss is an estimate");
    assert.equal(meanGap.n, gap.length, "gap.meanLoss is over the ground-truth subnets");
    assert.ok(close(meanGap.estimate, mean(gap.map((g) => g.gap as number))), "gap.meanLoss is the mean of gap");
    const rank = entry<{ n: number; kendall: unknown; spearman: unknown }>(r, "rank");
    assert.equal(rank.n, gap.length);
    for (const v of [rank.kendall, rank.spearman]) {
      assert.ok(isEstimate(v) && v.n === gap.length, "rank correlations are estimates over the ground truth");
      assert.ok(v.estimate >= -1 && v.estimate <= 1, `rank correlation ${v.estimate}`);
    }
  },

  "03-interference": (r) => {
    const trend = tableRows(r, "table.observation1Trend", ["operator", "pairs", "spearmanDifferingVsCosine", "lo95", "hi95"]);
    const operators = trend.map((t) => t.operator as string);
    assert.ok(operators.length >= 1, "at least one operator probed");
    const bands = tableRows(r, "table.observation1", ["operator", "differing", "pairs", "meanCosine", "lo95", "hi95"]);
    assert.deepEqual([...new Set(bands.map((b) => b.operator))], operators, "table.observation1 covers the same operators");
    rowsWithinIntervals("table.observation1", bands, "meanCosine", "lo95", "hi95");
    for (const b of bands) {
      assert.ok(Number.isInteger(b.differing) && (b.differing as number) >= 1, `differing ${b.differing}`);
      assert.ok((b.meanCosine as number) >= -1 - 1e-6 && (b.meanCosine as number) <= 1 + 1e-6, `cosine ${b.meanCosine}`);
    }
    const io = tableRows(r, "table.observation2", ["operator", "pairs", "spearmanInput", "inputLo95", "inputHi95", "spearmanOutput", "outputLo95", "outputHi95"], operators.length);
    const obs1 = entry<Record<string, unknown>>(r, "observation1.spearman");
    const obs2 = entry<Record<string, { input: unknown; output: unknown }>>(r, "observation2.spearman");
    trend.forEach((t, i) => {
      const op = t.operator as string;
      const pairs = bands.filter((b) => b.operator === op).reduce((s, b) => s + (b.pairs as number), 0);
      assert.equal(t.pairs, pairs, `${op}: the trend is over the pairs of the bands`);
      assert.equal(io[i].operator, op, "table.observation2 in the same operator order");
      assert.equal(io[i].pairs, pairs, `${op}: observation 2 measures the same pairs`);
      const e1 = obs1[op];
      assert.ok(isEstimate(e1) && e1.estimate === t.spearmanDifferingVsCosine && e1.n === pairs && e1.ci[0] === t.lo95 && e1.ci[1] === t.hi95, `${op}: observation1.spearman is the table's`);
      const e2 = obs2[op];
      assert.ok(isEstimate(e2.input) && e2.input.estimate === io[i].spearmanInput && e2.input.n === pairs, `${op}: observation2 input estimate is the table's`);
      assert.ok(isEstimate(e2.output) && e2.output.estimate === io[i].spearmanOutput && e2.output.n === pairs, `${op}: observation2 output estimate is the table's`);
      for (const e of [e1, e2.input, e2.output]) if (isEstimate(e)) assert.ok(e.ci[0] >= -1 && e.ci[1] <= 1, `${op}: a correlation interval outside [-1, 1]`);
    });
    rowsWithinIntervals("table.observation1Trend", trend, "spearmanDifferingVsCosine", "lo95", "hi95");
    rowsWithinIntervals("table.observation2 (input)", io, "spearmanInput", "inputLo95", "inputHi95");
    rowsWithinIntervals("table.observation2 (output)", io, "spearmanOutput", "outputLo95", "outputHi95");

    const consecutive = entry<{ steps: number; meanCosine: Record<string, unknown> }>(r, "consecutive");
    const samplers = tableRows(r, "table.consecutive", ["sampler", "pairs", "meanDiffering", "meanCosine", "lo95", "hi95"], 2);
    assert.deepEqual(samplers.map((s) => s.sampler), ["uniform", "magic-t"]);
    rowsWithinIntervals("table.consecutive", samplers, "meanCosine", "lo95", "hi95");
    for (const s of samplers) {
      assert.equal(s.pairs, consecutive.steps, `${s.sampler}: one pair per step`);
      const e = consecutive.meanCosine[s.sampler as string];
      assert.ok(isEstimate(e) && e.estimate === s.meanCosine && e.n === s.pairs, `${s.sampler}: consecutive.meanCosine is the table's`);
    }
    const findings = entry<string[]>(r, "findings");
    for (const op of operators) assert.ok(findings.some((f) => f.includes(op)), `a finding on ${op}`);
  },
  "05-search": (r) => {
    const latency = entry<{ requested: number; measured: number }>(r, "latency");
    assert.ok(latency.measured >= 5 && latency.measured <= latency.requested, `latency: ${latency.measured} of ${latency.requested} subnets measured`);
    const stability = entry<{ rounds: number; halves: number[][]; kendall: { estimate: number; ci: [number, number]; n: number }; reliable: boolean; threshold: number }>(r, "latency.reliability");
    assert.equal(stability.kendall.n, latency.measured, "latency's test-retest agreement is over every measured subnet");
    assert.equal(stability.reliable, stability.kendall.estimate > stability.threshold);
    assert.equal(stability.rounds, entry<{ options: { rounds: number } }>(r, "latency").options.rounds, "agreement over the rounds measured");
    assert.deepEqual(stability.halves, latencyHalves(stability.rounds), "halves balanced for order");
    assert.ok(stability.rounds >= 4, `four rounds or more, so each half holds a forward and a reversed round (got ${stability.rounds})`);
    const first = entry<string[]>(r, "findings")[0];
    assert.ok(first.startsWith(`Measured latency, rounds ${stability.halves[0].join(" and ")} against rounds ${stability.halves[1].join(" and ")} over ${latency.measured} subnets`), `the latency ground truth's stability is the first finding: ${first}`);
    const [summary] = tableRows(r, "table.latency", ["subnets", "minMs", "medianMs", "maxMs", "largestMs", "smallestMs"], 1);
    assert.equal(summary.subnets, latency.measured);
    const [min, median, max] = [summary.minMs, summary.medianMs, summary.maxMs] as number[];
    assert.ok(min > 0 && min <= median && median <= max, `latency min ${min} <= median ${median} <= max ${max}`);
    for (const k of ["largestMs", "smallestMs"]) assert.ok((summary[k] as number) >= min && (summary[k] as number) <= max, `${k} within [min, max]`);
    const proxies = tableRows(r, "table.latencyProxies", ["proxy", "subnets", "kendall", "lo95", "hi95", "spearman"], 3);
    rowsWithinIntervals("table.latencyProxies", proxies, "kendall", "lo95", "hi95");
    const kendall = entry<Record<string, unknown>>(r, "latency.kendall");
    for (const q of proxies) {
      assert.equal(q.subnets, latency.measured, `${q.proxy}: over every measured subnet`);
      const e = kendall[q.proxy as string];
      assert.ok(isEstimate(e) && e.estimate === q.kendall && e.n === q.subnets, `${q.proxy}: latency.kendall is the table's`);
    }
    const [predictor] = tableRows(r, "table.latencyPredictor", ["fitted", "heldOut", "maeMs", "rmseMs", "mapePct", "kendall", "spearman", "flopsKendall"], 1);
    assert.equal((predictor.fitted as number) + (predictor.heldOut as number), latency.measured, "the predictor is fitted and checked on disjoint parts of the measurements");
    assert.ok((predictor.maeMs as number) <= (predictor.rmseMs as number) + 1e-9, "MAE <= RMSE");

    // Evolution against random search: random is asked for as many subnets as evolution scored (a small space may give fewer).
    const search = entry<{ limitMs: number; evolutionScored: number; randomScored: number; evolutionBest: number; randomBest: number }[]>(r, "search");
    assert.ok(search.length >= 1);
    search.slice(1).forEach((s, i) => assert.ok(s.limitMs >= search[i].limitMs, "budgets ascend with their quantile"));
    for (const s of search) {
      assert.ok(s.limitMs >= min && s.limitMs <= max, `budget ${s.limitMs} ms is a measured latency`);
      assert.ok(s.evolutionScored >= 1 && s.randomScored >= 1 && s.randomScored <= s.evolutionScored, `scored: evolution ${s.evolutionScored}, random ${s.randomScored}`);
    }
    const found = tableRows(r, "table.found", ["budgetMs", "method", "predictedMs", "measuredMs", "params", "validLoss", "bleu", "arch"], 2 * search.length);
    checkSubnetRows("table.found", found);
    found.forEach((f, i) => {
      assert.equal(f.method, i % 2 === 0 ? "evolution" : "random");
      assert.equal(f.budgetMs, search[i >> 1].limitMs);
      assert.ok((f.predictedMs as number) <= (f.budgetMs as number) + 1e-9, `table.found row ${i}: predicted ${f.predictedMs} ms over the budget ${f.budgetMs} ms`);
    });

    // HAT against MoS: the same training and the same number of scored subnets per budget.
    const equalCost = entry<{ training: { updates: number; sampler: string; HAT: string; MoS: string }; searchBatches: number; searches: { budgetMs: number; scored: Record<string, number>; forwardPasses: Record<string, number> }[] }>(r, "equalCost");
    assert.ok(equalCost.training.updates >= 1 && typeof equalCost.training.sampler === "string" && typeof equalCost.training.HAT === "string" && typeof equalCost.training.MoS === "string", "equalCost.training");
    assert.deepEqual(equalCost.searches.map((s) => s.budgetMs), search.map((s) => s.limitMs), "the comparison uses the same budgets");
    for (const s of equalCost.searches) {
      assert.deepEqual(Object.keys(s.scored).sort(), ["HAT", "MoS"]);
      assert.ok(s.scored.HAT >= 1, `budget ${s.budgetMs}: scored ${s.scored.HAT}`);
      assert.equal(s.scored.HAT, s.scored.MoS, `budget ${s.budgetMs} ms: HAT scored ${s.scored.HAT} subnets, MoS ${s.scored.MoS}`);
      for (const n of ["HAT", "MoS"]) assert.equal(s.forwardPasses[n], s.scored[n] * equalCost.searchBatches, `${n}: forward passes = scored subnets x search batches`);
      assert.equal(s.forwardPasses.HAT, s.forwardPasses.MoS, `budget ${s.budgetMs} ms: equal forward passes`);
    }
    const atEqualCost = tableRows(r, "table.searchAtEqualCost", ["budgetMs", "supernet", "scored", "bestSearchLoss", "arch"], 2 * equalCost.searches.length);
    atEqualCost.forEach((row, i) => assert.equal(row.scored, equalCost.searches[i >> 1].scored[row.supernet as string], `table.searchAtEqualCost row ${i}: scored`));
    const front = tableRows(r, "table.front", ["budgetMs", "supernet", "predictedMs", "measuredMs", "params", "validLoss", "bleu", "arch"], atEqualCost.length);
    checkSubnetRows("table.front", front);
    front.forEach((row, i) => {
      assert.equal(row.arch, atEqualCost[i].arch, `table.front row ${i}: the subnet the search found`);
      assert.ok((row.predictedMs as number) <= (row.budgetMs as number) + 1e-9, `table.front row ${i}: predicted ${row.predictedMs} ms over the budget ${row.budgetMs} ms`);
    });
    // MoS minus HAT at each budget, paired over the same validation sentences.
    const frontLoss = entry<{ budgetMs: number; difference: { estimate: number; n: number } }[]>(r, "front.mosMinusHatLoss");
    assert.deepEqual(frontLoss.map((g) => g.budgetMs), equalCost.searches.map((s) => s.budgetMs), "one paired loss difference per budget");
    for (const g of frontLoss) {
      const [h, m] = ["HAT", "MoS"].map((name) => front.find((f) => f.budgetMs === g.budgetMs && f.supernet === name)!.validLoss as number);
      assert.ok(isEstimate(g.difference) && g.difference.n >= 2 && g.difference.n === frontLoss[0].difference.n, `${g.budgetMs} ms: paired over the same sentences (n = ${g.difference.n})`);
      assert.ok(Math.abs(g.difference.estimate - (m - h)) < 1e-4, `${g.budgetMs} ms: the paired difference ${g.difference.estimate} is the table's ${m - h}`);
    }

    // The gap of the found subnets: every found subnet under both supernets, paired.
    const foundArchs = new Set(atEqualCost.map((row) => row.arch));
    const gap = tableRows(r, "table.gap", ["supernet", "arch", "inheritedLoss", "standaloneLoss", "gap"], 2 * foundArchs.size);
    for (const g of gap) assert.ok(close(g.gap, (g.standaloneLoss as number) - (g.inheritedLoss as number)), "gap = standalone - inherited");
    const bySupernet = (name: string) => gap.filter((g) => g.supernet === name);
    assert.deepEqual(bySupernet("HAT").map((g) => g.arch), bySupernet("MoS").map((g) => g.arch), "both supernets' gaps are over the same subnets in the same order");
    assert.deepEqual(new Set(bySupernet("HAT").map((g) => g.arch)), foundArchs, "the gap covers every found subnet");
    const meanAbs = entry<Record<string, unknown>>(r, "gap.meanAbs");
    for (const name of ["HAT", "MoS"]) {
      const e = meanAbs[name];
      assert.ok(isEstimate(e) && e.n === foundArchs.size, `gap.meanAbs.${name} is over the found subnets`);
      assert.ok(close(e.estimate, mean(bySupernet(name).map((g) => Math.abs(g.gap as number)))), `gap.meanAbs.${name} is the mean |gap|`);
    }
    const paired = entry(r, "gap.paired");
    assert.ok(isEstimate(paired) && paired.n === foundArchs.size, "gap.paired is over the found subnets");
    assert.ok(close(paired.estimate, (meanAbs.MoS as { estimate: number }).estimate - (meanAbs.HAT as { estimate: number }).estimate), "paired difference of means = difference of the means");
    const verdict = entry<string>(r, "gap.verdict");
    if (paired.n < 5) assert.match(verdict, /^too few subnets/);
    assert.ok(entry<string[]>(r, "findings").some((f) => f.endsWith(`${verdict}.`)), "the gap verdict is among the findings");

    const published = entry<{ rows: { values: Record<string, string> }[] }>(r, "published.hatSubTransformers");
    const wmt = loadPublished("hat_readme_pretrained_subtransformers.csv").filter((x) => x.task === "WMT'14 En-De");
    assert.equal(published.rows.length, wmt.length, "every WMT'14 En-De SubTransformer is shown");
  },

  "06-automoe": (r) => {
    const training = tableRows(r, "table.trainingBudget", ["supernet", "storedWeights", "updates", "subnetPasses", "seconds"], 2);
    const [dense, moe] = ["HAT (dense)", "AutoMoE"].map((name) => training.find((t) => t.supernet === name) as Row);
    assert.ok(dense && moe, "both supernets in table.trainingBudget");
    assert.equal(dense.updates, moe.updates, "same updates");
    assert.equal(dense.subnetPasses, moe.subnetPasses, "equal subnet passes");
    assert.equal(moe.subnetPasses, moe.updates, "one sampled subnet per update");
    assert.equal(moe.subnetPasses, 3 * translationPresets[r.preset as PresetName].comparisonUpdates, "the pass budget of notebooks 02 and 04");
    assert.ok((moe.storedWeights as number) >= (dense.storedWeights as number), "the AutoMoE supernet stores its experts on top of the dense weights");

    const flops = entry<{ quantiles: number[]; budgets: number[]; sampledSubnets: number }>(r, "flops");
    assert.equal(flops.budgets.length, flops.quantiles.length);
    flops.budgets.slice(1).forEach((b, i) => assert.ok(b >= flops.budgets[i], "budgets ascend with their quantile"));
    const budgetsM = flops.budgets.map((b) => b / 1e6);
    const equalCost = entry<{ searches: { budgetMFlops: number; scored: Record<string, number> }[] }>(r, "equalCost");
    assert.deepEqual(equalCost.searches.map((s) => s.budgetMFlops), budgetsM);
    for (const s of equalCost.searches) {
      const { "evolution, AutoMoE": moeScored, "evolution, HAT (dense)": denseScored, "random, AutoMoE": randomScored } = s.scored;
      assert.ok(moeScored >= 1, `scored ${moeScored}`);
      assert.equal(moeScored, denseScored, `${s.budgetMFlops} MFLOPs: evolution scored ${moeScored} AutoMoE and ${denseScored} dense subnets`);
      assert.ok(randomScored >= 1 && randomScored <= moeScored, `random scored ${randomScored}, at most evolution's ${moeScored}`);
    }
    const search = tableRows(r, "table.search", ["budgetMFlops", "search", "scored", "bestSearchLoss", "arch"], 3 * budgetsM.length);
    search.forEach((row, i) => assert.equal(row.scored, equalCost.searches[Math.floor(i / 3)].scored[row.search as string], `table.search row ${i}: scored`));

    // FLOPs and parameter accounting of the found subnets.
    const found = tableRows(r, "table.found", ["budgetMFlops", "supernet", "mflops", "activeParams", "totalParams", "sparsity", "validLoss", "bleu", "latencyMs", "arch"], 2 * budgetsM.length);
    checkSubnetRows("table.found", found);
    found.forEach((f, i) => {
      const where = `table.found row ${i} (${f.supernet})`;
      assert.ok(budgetsM.includes(f.budgetMFlops as number), `${where}: a searched budget`);
      assert.ok((f.mflops as number) > 0 && (f.mflops as number) <= (f.budgetMFlops as number) * (1 + 1e-12), `${where}: ${f.mflops} MFLOPs over the budget ${f.budgetMFlops}`);
      assert.ok((f.activeParams as number) > 0 && (f.activeParams as number) <= (f.totalParams as number), `${where}: active ${f.activeParams} of ${f.totalParams}`);
      assert.ok(close(f.sparsity, 1 - (f.activeParams as number) / (f.totalParams as number)), `${where}: sparsity = 1 - active / total`);
      if (f.supernet === "HAT (dense)") assert.equal(f.activeParams, f.totalParams, `${where}: a dense subnet uses all its weights`);
      const searched = search.find((s) => s.budgetMFlops === f.budgetMFlops && s.search === `evolution, ${f.supernet}`);
      assert.equal(f.arch, searched?.arch, `${where}: the subnet evolution found`);
      assert.ok((f.fastestRoundMs as number) > 0 && (f.fastestRoundMs as number) <= (f.latencyMs as number) && (f.latencyMs as number) <= (f.slowestRoundMs as number), `${where}: latency ${f.latencyMs} ms within its rounds ${f.fastestRoundMs}-${f.slowestRoundMs}`);
    });
    // Every found subnet timed in the same rounds; the sparse-minus-dense loss paired over sentences.
    const latency = entry<{ options: { rounds: number }; rounds: { arch: string; roundMs: number[] }[] }>(r, "latency");
    assert.ok(latency.options.rounds >= 2, `latency measured in ${latency.options.rounds} round(s)`);
    assert.deepEqual(latency.rounds.map((t) => t.arch), found.map((f) => f.arch), "latency rounds cover every found subnet, in table order");
    latency.rounds.forEach((t, i) => {
      assert.equal(t.roundMs.length, latency.options.rounds, `${t.arch}: one median per round`);
      assert.ok(close(Math.min(...t.roundMs), found[i].fastestRoundMs) && close(Math.max(...t.roundMs), found[i].slowestRoundMs), `${t.arch}: fastest and slowest round as in table.found`);
    });
    const gaps = entry<{ budgetMFlops: number; difference: { estimate: number; n: number } }[]>(r, "sparseMinusDenseLoss");
    assert.deepEqual(gaps.map((g) => g.budgetMFlops), budgetsM, "one paired loss difference per budget");
    for (const g of gaps) {
      assert.ok(isEstimate(g.difference) && g.difference.n >= 2 && g.difference.n === gaps[0].difference.n, `${g.budgetMFlops} MFLOPs: paired over the same validation sentences (n = ${g.difference.n})`);
      const [a, d] = ["AutoMoE", "HAT (dense)"].map((name) => found.find((f) => f.budgetMFlops === g.budgetMFlops && f.supernet === name)!.validLoss as number);
      assert.ok(Math.abs(g.difference.estimate - (a - d)) < 1e-4, `${g.budgetMFlops} MFLOPs: the paired difference ${g.difference.estimate} is the table's loss difference ${a - d}`);
    }

    const layers = tableRows(r, "table.routedLayers", ["layer", "experts", "entropy", "maxEntropy", "balance", "droppedFraction"]);
    const experts = tableRows(r, "table.expertLoad", ["layer", "expert", "width", "tokens", "load"]);
    const routing = entry<{ warnings: string[] }>(r, "routing");
    for (const l of layers) {
      const own = experts.filter((e) => e.layer === l.layer);
      assert.equal(own.length, l.experts, `${l.layer}: one load row per expert`);
      assert.ok(close(l.maxEntropy, Math.log(l.experts as number)), `${l.layer}: maxEntropy = log(experts)`);
      assert.ok((l.entropy as number) >= -1e-9 && (l.entropy as number) <= (l.maxEntropy as number) + 1e-6, `${l.layer}: entropy ${l.entropy} in [0, log n]`);
      const share = own.reduce((s, e) => s + (e.load as number), 0);
      assert.ok(share <= 1 + 1e-9, `${l.layer}: loads sum to ${share} > 1`);
    }
    assert.equal(routing.warnings.length, experts.filter((e) => e.tokens === 0).length, "one warning per expert without tokens");

    const published = entry<{ file: string; rows: unknown[] }>(r, "published.automoeTable4");
    assert.equal(published.rows.length, loadPublished(published.file).length, "every row of AutoMoE's Table 4 is shown");
  },

  "07-bert-supernet": (r) => {
    const compute = tableRows(r, "table.compute", ["model", "updates", "subnetPasses", "seconds", "source"], 2);
    assert.equal(compute[0].subnetPasses, compute[1].subnetPasses, "plain and MoS made equal subnet passes");
    assert.equal(compute[0].subnetPasses, 3 * (compute[0].updates as number), "three sandwich passes per update");
    const scored = tableRows(r, "table.inherited", ["arch", "paramsM", "plainLoss", "mosLoss"]);
    assert.equal(new Set(scored.map((s) => s.arch)).size, scored.length, "distinct scored subnets");
    for (const s of scored) assert.ok((s.plainLoss as number) > 0 && (s.mosLoss as number) > 0, `${s.arch}: losses are positive`);
    const diff = entry<{ estimate: number; n: number }>(r, "mosMinusPlainLoss");
    assert.ok(isEstimate(diff) && diff.n === scored.length, "the paired difference is over the scored subnets");
    assert.ok(close(diff.estimate, mean(scored.map((s) => (s.mosLoss as number) - (s.plainLoss as number))), 1e-9), "mosMinusPlainLoss is the mean paired difference");
    const trend = entry<Record<string, { n: number }>>(r, "sizeTrend");
    for (const k of ["plain", "mos"]) assert.ok(isEstimate(trend[k]) && trend[k].n === scored.length, `sizeTrend.${k} is over the scored subnets`);
    for (const c of entry<{ model: string; absDifference: number }[]>(r, "collapse")) assert.ok(c.absDifference < 1e-4, `${c.model}: extraction/collapse changes the loss by ${c.absDifference}`);
    const gt = entry<{ spec: string; subnets: number; seeds: number[] }>(r, "groundTruth");
    const spec = groundTruthSpec(r.preset as PresetName, "masked-lm");
    assert.equal(gt.spec, spec.name);
    assert.equal(gt.subnets, spec.archs.length, "every subnet of the BERT design has a standalone result");
    assert.deepEqual(gt.seeds, spec.seeds);
    const ranked = tableRows(r, "table.rankCorrelation", ["method", "updates", "trainPasses", "kendall", "kendallWidth", "spearman"]);
    assert.deepEqual(ranked.map((m) => m.method), ["uniform", "magic-t", "sandwich", "mos-sandwich"]);
    checkPairedDifferences(r, "rankCorrelation.paired", ranked, "method");
    assert.equal(new Set(ranked.map((m) => m.trainPasses)).size, 1, `equal compute: ${ranked.map((m) => `${m.method} ${m.trainPasses}`).join(", ")}`);
    for (const m of ranked) assert.ok(typeof m.seconds === "number" && m.seconds > 0, `${m.method}: wall time ${m.seconds}`);
    for (const m of ranked) {
      const k = m.kendall as { estimate: number; ci: [number, number]; n: number };
      assert.equal(k.n, gt.subnets, `${m.method}: ranked over the whole ground truth`);
      assert.ok(Math.abs((m.kendallWidth as number) - (k.ci[1] - k.ci[0])) < 1e-12, `${m.method}: the width shown is the interval's`);
    }
    const bands = tableRows(r, "table.observation1", ["operator", "differing", "pairs", "meanCosine", "lo95", "hi95"]);
    for (const b of bands) assert.ok((b.lo95 as number) <= (b.meanCosine as number) + 1e-12 && (b.meanCosine as number) <= (b.hi95 as number) + 1e-12, `${b.operator} k=${b.differing}: interval contains the mean`);
    const io = tableRows(r, "table.observation2", ["operator", "pairs", "spearmanInput", "inputLo95", "inputHi95", "spearmanOutput", "outputLo95", "outputHi95"]);
    for (const o of io) {
      assert.ok((o.inputLo95 as number) <= (o.spearmanInput as number) + 1e-12 && (o.spearmanInput as number) <= (o.inputHi95 as number) + 1e-12, `${o.operator}: input interval contains its estimate`);
      assert.ok((o.outputLo95 as number) <= (o.spearmanOutput as number) + 1e-12 && (o.spearmanOutput as number) <= (o.outputHi95 as number) + 1e-12, `${o.operator}: output interval contains its estimate`);
    }
    assert.deepEqual(io.map((o) => o.operator), [...new Set(bands.map((b) => b.operator))], "observation 2 probes the operators of observation 1");
    // MoS-BERT's own space (per-layer hidden sizes).
    const shaperCompute = tableRows(r, "table.shaperCompute", ["model", "updates", "subnetPasses", "seconds", "source"], 2);
    assert.equal(shaperCompute[0].subnetPasses, shaperCompute[1].subnetPasses, "MoS-BERT space: plain and MoS made equal subnet passes");
    assert.equal(shaperCompute[0].subnetPasses, 3 * (shaperCompute[0].updates as number), "MoS-BERT space: three sandwich passes per update");
    const shaperScored = tableRows(r, "table.shaperInherited", ["arch", "paramsM", "meanWidth", "plainLoss", "mosLoss"]);
    assert.equal(new Set(shaperScored.map((s) => s.arch)).size, shaperScored.length, "MoS-BERT space: distinct scored subnets");
    const shaperDiff = entry<{ estimate: number; ci: [number, number]; n: number }>(r, "shaperMosMinusPlainLoss");
    assert.ok(isEstimate(shaperDiff) && shaperDiff.n === shaperScored.length, "MoS-BERT space: the paired difference is over the scored subnets");
    assert.ok(close(shaperDiff.estimate, mean(shaperScored.map((s) => (s.mosLoss as number) - (s.plainLoss as number))), 1e-9), "MoS-BERT space: shaperMosMinusPlainLoss is the mean paired difference");
    for (const c of entry<{ model: string; arch: string; absDifference: number }[]>(r, "shaperCollapse")) assert.ok(c.absDifference < 1e-4, `MoS-BERT space ${c.model} ${c.arch}: extraction/collapse changes the loss by ${c.absDifference}`);
    const routing = tableRows(r, "table.shaperRouting", ["layer", "width", "subnets", "expert0Weight"]);
    for (const row of routing) assert.ok((row.expert0Weight as number) >= 0 && (row.expert0Weight as number) <= 1, `${row.layer} width ${row.width}: an expert weight lies in [0, 1]`);
    assert.equal(routing.reduce((n, row) => n + (row.subnets as number), 0), shaperScored.length * new Set(routing.map((row) => row.layer)).size, "every scored subnet appears once per layer in the routing table");
  },

  "08-bert-tables": (r) => {
    const searched = tableRows(r, "table.search", ["band", "supernet", "scored", "bestLoss", "paramsM", "arch"]);
    for (const band of new Set(searched.map((s) => s.band))) {
      const [a, b] = searched.filter((s) => s.band === band);
      assert.equal(a.scored, b.scored, `${band}: both supernets' searches scored the same number of subnets`);
    }
    const fine = tableRows(r, "table.fineTuned", ["band", "paramsM", "start", "accuracy", "lo95", "hi95", "seeds"]);
    const settings = entry<{ seeds: number[] }>(r, "fineTuning");
    for (const f of fine) {
      const where = `table.fineTuned ${f.band} ${f.start}`;
      assert.equal(f.seeds, settings.seeds.length, `${where}: one run per seed`);
      assert.ok((f.lo95 as number) >= 0 && (f.hi95 as number) <= 1 && (f.lo95 as number) <= (f.accuracy as number) && (f.accuracy as number) <= (f.hi95 as number), `${where}: an accuracy interval within [0, 1] containing its mean`);
    }
    for (const band of new Set(fine.map((f) => f.band))) {
      const rows = fine.filter((f) => f.band === band);
      assert.equal(rows.length, 3, `${band}: scratch, extracted and collapsed`);
      assert.equal(new Set(rows.map((x) => x.paramsM)).size, 1, `${band}: the three starts fine-tune the same arch`);
    }
    const published = tableRows(r, "table.published", ["band", "paper", "model", "avg7", "paperAvg", "source"]);
    assert.equal(published.length, nasBertRows().length + autoDistilRows().length, "every NAS-BERT Table 2 and AutoDistil Table 3 row is shown");
    for (const p of published) assert.match(String(p.source), /data\/published\/\S+\.csv row \d+$/, `${p.model}: its source names file and row`);
    const further = tableRows(r, "table.downstream", ["task", "labels", "train", "test", "majority", "start", "accuracy", "lo95", "hi95", "seeds"]);
    const { tasks, testLimit, testSubsetSeed } = entry<{ tasks: string[]; testLimit: number | null; testSubsetSeed: number }>(r, "downstream");
    assert.equal(further.length, 2 * tasks.length, "each further task from scratch and extracted");
    for (const name of tasks) {
      const rows = further.filter((f) => f.task === name);
      assert.deepEqual(rows.map((x) => String(x.start).split(" ")[0]).sort(), ["extracted", "from"], `${name}: from scratch and extracted`);
      const task = downstreamTask(name, 1) as Parameters<typeof describeTask>[0];
      const testSet = fixedSubset(task.splits.test, testLimit, testSubsetSeed);
      const majority = majorityBaseline(task.splits.train.map((e) => e.label), testSet.map((e) => e.label), task.labelNames);
      for (const x of rows) {
        const where = `table.downstream ${name} ${x.start}`;
        assert.equal(x.test, testSet.length, `${where}: evaluated on the test split, or its fixed subset of ${testLimit}`);
        assert.equal(x.labels, task.labelNames.length, `${where}: labels`);
        assert.ok(close(x.majority, majority.accuracy), `${where}: the majority baseline is scored on the same test examples`);
        assert.equal(x.seeds, settings.seeds.length, `${where}: one run per seed`);
        assert.ok((x.lo95 as number) >= 0 && (x.hi95 as number) <= 1 && (x.lo95 as number) <= (x.accuracy as number) && (x.accuracy as number) <= (x.hi95 as number), `${where}: an accuracy interval within [0, 1] containing its mean`);
      }
    }
    const ours = tableRows(r, "table.ours", ["block", "model", "task", "mean", "ciLo", "ciHi", "n"]);
    assert.equal(ours.length, fine.length + further.length, "our block holds every fine-tuned result");
    assert.ok(ours.every((o) => !("avg7" in o)), "our rows are never averaged with GLUE");
  },
};
