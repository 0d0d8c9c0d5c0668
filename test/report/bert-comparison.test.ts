import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  autoDistilRows, autoDistilTasks, bertComparison, exportBertComparison, loadPublished, nasBertRows, nasBertTasks, parameterBand, rowsToCsv, taskAverage,
} from "../../src/report/index";

test("averages are recomputed over a common task set, and a missing task gives no average", () => {
  const scores = { MNLI: 80, QQP: 90, QNLI: 85, "SST-2": 88, CoLA: 40, MRPC: 84, RTE: 70, "STS-B": 86 };
  assert.equal(taskAverage(scores, autoDistilTasks), (80 + 90 + 85 + 88 + 40 + 84 + 70) / 7);
  assert.equal(taskAverage(scores, nasBertTasks), (80 + 90 + 85 + 88 + 40 + 84 + 70 + 86) / 8);
  assert.equal(taskAverage({ ...scores, CoLA: null }, autoDistilTasks), null);
  assert.deepEqual([4, 6.88, 7.5, 26.1, 37.7, 50.1, 66.5].map(parameterBand), [5, 5, 10, 30, 30, 60, 60]);
});

test("each paper's own average is reproduced from its task scores, so the recomputed 7-task average is comparable", () => {
  // NAS-BERT averages 8 tasks, AutoDistil 7; recomputing each paper's average from its own scores
  // checks the transcription (to the paper's rounding) before any cross-paper average is trusted.
  for (const r of [...nasBertRows(), ...autoDistilRows()]) {
    const mine = taskAverage(r.scores, r.publishedAverageTasks);
    assert.ok(mine !== null && r.publishedAverage !== null, `${r.paper} ${r.model}`);
    assert.ok(Math.abs(mine - r.publishedAverage) <= 0.1, `${r.paper} ${r.model} ${r.setting}: recomputed ${mine.toFixed(2)}, published ${r.publishedAverage}`);
  }
});

test("every published number in the comparison traces to its row of data/published", () => {
  const comparison = bertComparison();
  const columns: Record<string, Record<string, string>> = {
    "nasbert_table2_glue_dev_by_size.csv": Object.fromEntries(nasBertTasks.map((t) => [t, t])),
    "autodistil_table3_glue_dev.csv": { MNLI: "MNLI-m_acc", QQP: "QQP_acc", QNLI: "QNLI_acc", "SST-2": "SST-2_acc", CoLA: "CoLA_mcc", MRPC: "MRPC", RTE: "RTE_acc" },
  };
  assert.equal(comparison.published.length, nasBertRows().length + autoDistilRows().length);
  for (const row of comparison.published) {
    const m = /data\/published\/(\S+) row (\d+)$/.exec(String(row.source));
    assert.ok(m, `source names file and row: ${row.source}`);
    const csv = loadPublished(m[1])[Number(m[2]) - 1];
    assert.equal(row.model, csv.model);
    assert.ok(String(row.source).startsWith(csv.source_url));
    for (const task of nasBertTasks) {
      const column: string | undefined = columns[m[1]][task];
      if (column === undefined) assert.equal(row[task], null, `${row.model} ${task} is not in the file, so it is unknown`);
      else assert.equal(row[task], Number(csv[column]), `${row.model} ${task}`);
    }
    assert.equal(row.paperAvg, Number(csv.AVG ?? csv.Average));
  }
});

test("our rows stay in their own block; the exports are written whole", () => {
  const ours = [{ model: "ours-small", paramsM: 1.2, task: "sentiment (UCI)", mean: 0.81, ci: [0.78, 0.84] as const, n: 3 }];
  const comparison = bertComparison(ours);
  assert.ok(comparison.published.every((r) => r.paper === "NAS-BERT" || r.paper === "AutoDistil"));
  assert.equal(comparison.ours.length, 1);
  assert.ok(!("avg7" in comparison.ours[0]));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bert-comparison-"));
  const files = exportBertComparison(comparison, dir);
  assert.deepEqual(files.map((f) => path.basename(f)), ["bert-comparison.csv", "bert-comparison-ours.csv", "bert-comparison.md", "bert-comparison.html"]);
  const csv = fs.readFileSync(files[0], "utf8").trim().split("\n");
  assert.equal(csv.length, comparison.published.length + 1);
  assert.match(fs.readFileSync(files[2], "utf8"), /\| band \| paper \| model/);
  assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")).length, 0);
  assert.equal(rowsToCsv([{ a: 'x,"y"', b: null }]), 'a,b\n"x,""y""",\n');
});
