import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { decodePng } from "../helpers/png";
import { estimate, NotebookResultsFile, resultsFormat } from "../../src/report/results";
import { budgetLine } from "../../src/report/results-report";
import { writeResultsReport } from "../../src/report/write-results-report";
import { formatEstimate, formatNumber } from "../../src/report/markdown-format";
import { machineLabel, parseCpuinfo } from "../../src/report/machine";
import { logNotebook, readRunLog, RunLog, startRunLog, writeRunLog } from "../../src/runner/run-log";

// A 1x1 RGBA PNG.
const tinyPng = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const provenance = { revision: "3f2a9c1d00000000000000000000000000000000", dirty: true, backend: "wasm", preset: "small", node: "v20.19.0", createdAt: "2026-01-01T00:00:00.000Z" };
const machine = { cpuModel: "AMD EPYC 7B13", cores: 2, totalMemoryBytes: 8 * 2 ** 30, avx512: false };
const start = Date.parse("2026-01-01T00:00:00Z");
const notebooks = ["00-alpha", "01-beta", "02-gamma"];

function resultsFile(notebook: string, entries: Record<string, unknown>, startedAt = "2026-01-01T00:00:01.000Z"): NotebookResultsFile {
  return { format: resultsFormat, notebook, preset: "small", provenance, startedAt, updatedAt: startedAt, entries };
}

/** run.json of a run of the three notebooks taking `minutes` each (02-gamma failing when asked). */
function runLog(minutes: readonly number[], gammaOk = true): RunLog {
  let log = startRunLog("small", provenance, machine, notebooks, new Date(start));
  let t = start;
  minutes.forEach((m, i) => {
    const startedAt = new Date(t).toISOString();
    t += m * 60_000;
    log = logNotebook(log, { name: notebooks[i], ok: i < 2 || gammaOk, seconds: m * 60, startedAt, backend: "wasm" }, new Date(t));
  });
  return log;
}

/** A run folder in a temporary directory: two results files, run.json and PNG figures. */
function fakeRun(): { root: string; runDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "supernet-report-"));
  const runDir = path.join(root, "out", "notebooks", "small");
  const write = (rel: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(runDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(runDir, rel), data);
  };
  write("results/00-alpha.json", JSON.stringify(resultsFile("00-alpha", {
    findings: ["Inherited loss falls by 0.5 nats.", "Our tau disagrees with the paper's 0.7."],
    "table.loss": { title: "Loss by arch", rows: [{ arch: "a|b", loss: 1.23456, tau: estimate(0.41, [0.12, 0.66], 24) }, { arch: "c", loss: 12345.6, tau: null }], note: "Losses in nats." },
    kendall: { uniform: estimate(0.4123, [0.1234, 0.6612], 24, 0.9) },
    figures: ["loss", "absent"],
  })));
  write("results/01-beta.json", JSON.stringify(resultsFile("01-beta", {
    findings: ["One finding."],
    "table.bad": { rows: [] },
    gap: estimate(0.9, [0.1, 0.5], 8),
  }, "2025-12-31T00:00:00.000Z")));
  write("figures/00-alpha/loss.png", tinyPng);
  write("figures/00-alpha/extra.png", tinyPng);
  write("figures/00-alpha/loss.html", "<html></html>");
  write("figures/01-beta/b.png", tinyPng);
  write("figures/01-beta/a.png", tinyPng);
  writeRunLog(runDir, runLog([10, 20]));
  return { root, runDir };
}

test("RESULTS.md: header, run times, sections in order with findings, tables, estimates and figures", () => {
  const { root, runDir } = fakeRun();
  try {
    const outFile = path.join(root, "RESULTS.md");
    const { markdown, figures } = writeResultsReport({ runDir, outFile, preset: "small", notebooks, runDirLabel: "out/notebooks/small", date: new Date("2026-01-02T08:30:00Z") });
    assert.equal(fs.readFileSync(outFile, "utf8"), markdown);
    assert.deepEqual(fs.readdirSync(root).sort(), ["RESULTS.md", "docs", "out"], "no temporary file is left beside the report");

    // Header.
    assert.match(markdown, /^# Results of the `small` run\n/);
    assert.match(markdown, /from `out\/notebooks\/small` on 2026-01-02 08:30 UTC/);
    assert.match(markdown, /\*\*Date\*\*: run started 2026-01-01 00:00 UTC, last notebook finished 2026-01-01 00:30 UTC/);
    assert.match(markdown, /\*\*Machine\*\*: AMD EPYC 7B13, 2 cores, 8\.0 GiB memory, no AVX-512/);
    assert.match(markdown, /\*\*Backend\*\*: wasm\n/);
    assert.match(markdown, /\*\*Revision\*\*: 3f2a9c1\+dirty/);
    assert.match(markdown, /\*\*Preset\*\*: small/);

    // Times per notebook and the budget (02-gamma did not run, so it cannot be judged).
    assert.ok(markdown.includes("| notebook | status | minutes |\n| --- | --- | ---: |\n| 00-alpha | ok | 10 |\n| 01-beta | ok | 20 |\n| 02-gamma | not run |  |\n| **total** |  | 30 |"));
    assert.match(markdown, /cannot be judged from this run: 02-gamma did not run; the notebooks took 30 min \(set-up not included\)\./);

    // Sections in notebook order; the one without a results file is reported.
    const at = notebooks.map((n) => markdown.indexOf(`\n## ${n}\n`));
    assert.ok(at[0] > markdown.indexOf("## Run time") && at[0] < at[1] && at[1] < at[2], `section order: ${at}`);
    const section = (i: number) => markdown.slice(at[i], i + 1 < at.length ? at[i + 1] : undefined);
    assert.match(section(2), /No results file \(did it run\?\)\./);

    // Findings as bullets, tables as Markdown with formatted numbers and estimates.
    const alpha = section(0);
    assert.ok(alpha.includes("### Findings\n\n- Inherited loss falls by 0.5 nats.\n- Our tau disagrees with the paper's 0.7.\n"));
    assert.ok(alpha.includes("### Loss by arch\n\n| arch | loss | tau |\n| --- | ---: | ---: |\n| a\\|b | 1.23 | 0.41 [0.12, 0.66] (n=24) |\n| c | 12346 |  |\n\n_Losses in nats._"));
    assert.ok(alpha.includes("- `kendall.uniform`: 0.412 [0.123, 0.661] (n=24, 90%)"));
    assert.doesNotMatch(alpha, /Check failed|earlier run/);

    // Figures: the listed one copied and linked, the missing one named, the others counted.
    assert.ok(alpha.includes("![loss](docs/figures/00-alpha-loss.png)"));
    assert.match(alpha, /not found: absent/);
    assert.match(alpha, /1 more figure in the run folder's figures\/00-alpha\//);
    assert.doesNotMatch(alpha, /00-alpha-extra/);
    const beta = section(1);
    assert.ok(beta.indexOf("![a](docs/figures/01-beta-a.png)") < beta.indexOf("![b](docs/figures/01-beta-b.png)"), "without a figures entry every PNG is shown, by name");
    assert.deepEqual(figures.map((f) => path.relative(root, f)).sort(), ["docs/figures/00-alpha-loss.png", "docs/figures/01-beta-a.png", "docs/figures/01-beta-b.png"]);
    const copy = fs.readFileSync(path.join(root, "docs", "figures", "00-alpha-loss.png"));
    assert.deepEqual(copy, tinyPng);
    assert.equal(decodePng(copy).width, 1);

    // Broken invariants and entries are shown, and results older than the run are flagged.
    assert.match(beta, /\*\*Check failed\*\*: estimate \$\.gap: interval \[0\.1, 0\.5\] does not contain 0\.9/);
    assert.match(beta, /\*\*Check failed\*\*: entry `table\.bad` must be \{ title: string, rows: object\[\], note\?: string \}/);
    assert.match(beta, /from an earlier run \(2025-12-31 00:00 UTC, revision 3f2a9c1\+dirty\)/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a missing run folder is an error naming the folder and the command that makes it", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "supernet-report-"));
  try {
    const runDir = path.join(root, "out", "notebooks", "small");
    assert.throws(
      () => writeResultsReport({ runDir, outFile: path.join(root, "RESULTS.md"), preset: "small", notebooks }),
      (err: Error) => err.message.includes(`run folder ${runDir} does not exist`) && err.message.includes("npm run main"),
    );
    assert.ok(!fs.existsSync(path.join(root, "RESULTS.md")));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("the budget line: met, not met, failed, not run, no run.json, another preset", () => {
  assert.equal(budgetLine(runLog([10, 20, 29.5]), notebooks, 60), "The main job met its 60-minute budget: the notebooks took 59.5 min (set-up not included).");
  assert.equal(budgetLine(runLog([10, 20, 31]), notebooks, 60), "The main job did not meet its 60-minute budget: the notebooks took 61 min (set-up not included).");
  assert.match(budgetLine(runLog([10, 20, 40], false), notebooks, 60), /did not meet its 60-minute budget: the notebooks took 70 min \(set-up not included\), and 02-gamma failed\.$/);
  assert.match(budgetLine(runLog([10, 20, 5], false), notebooks, 60), /cannot be judged from this run: 02-gamma failed; the notebooks took 35 min/);
  assert.match(budgetLine(null, notebooks, 60), /No run\.json/);
  assert.match(budgetLine({ ...runLog([1, 1, 1]), preset: "tiny" }, notebooks, 60), /applies to the main job on the small preset; this run is on tiny/);
});

test("run.json round-trips and its total is the wall time since the run started", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "supernet-runlog-"));
  try {
    assert.equal(readRunLog(dir), null);
    const log = runLog([1.5, 2]);
    assert.equal(log.totalSeconds, 210);
    assert.deepEqual(log.notebooks.map((t) => [t.name, t.seconds, t.startedAt]), [["00-alpha", 90, "2026-01-01T00:00:00.000Z"], ["01-beta", 120, "2026-01-01T00:01:30.000Z"]]);
    writeRunLog(dir, log);
    assert.deepEqual(readRunLog(dir), log);
    fs.writeFileSync(path.join(dir, "run.json"), JSON.stringify({ ...log, format: "other" }));
    assert.throws(() => readRunLog(dir), /run\.json has format "other", expected supernet-lab\/notebook-run@1/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("numbers to three significant digits; the machine from /proc/cpuinfo", () => {
  assert.deepEqual([0.41234, 12.345, 123.456, 12345.6, 7, Number.NaN, -0.000123456].map((v) => formatNumber(v)), ["0.412", "12.3", "123", "12346", "7", "NaN", "-0.000123"]);
  assert.equal(formatEstimate(estimate(0.41, [0.12, 0.66], 24)), "0.41 [0.12, 0.66] (n=24)");
  const cpuinfo = "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8481C\nflags\t\t: fpu sse avx2 avx512f avx512bw\n\nprocessor\t: 1\n";
  assert.deepEqual(parseCpuinfo(cpuinfo), { cpuModel: "Intel(R) Xeon(R) Platinum 8481C", avx512: true });
  assert.deepEqual(parseCpuinfo("model name : AMD EPYC\nflags : fpu avx2 avx512_bf16_like\n"), { cpuModel: "AMD EPYC", avx512: false });
  assert.deepEqual(parseCpuinfo("processor : 0\n"), { cpuModel: null, avx512: null });
  assert.equal(machineLabel({ cpuModel: null, cores: 1, totalMemoryBytes: 2 ** 29, avx512: null }), "unknown CPU, 1 core, 0.5 GiB memory, AVX-512 unknown");
});
