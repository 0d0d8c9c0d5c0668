/**
 * The NAS-BERT / AutoDistil comparison table: published GLUE-dev rows from data/published, each
 * with its file, row and source, aligned by parameter band. The two papers average different task
 * sets (NAS-BERT 8 GLUE tasks with STS-B, AutoDistil 7 without), so no published average is
 * compared across papers: every row gets an average recomputed over AutoDistil's 7 tasks, shown
 * beside the paper's own. Our own rows (our tasks, our scale) are a separate block that is never
 * averaged with GLUE numbers. Nothing here writes a number that is not in a file.
 */
import * as path from "path";
import { atomicWriteFile } from "../util/atomic-write";
import { loadPublished } from "./published";
import { tableToHtml } from "./table";
import { markdownTable } from "./markdown-format";
import type { Row } from "./table";

/** AutoDistil's 7 GLUE tasks (Table 3 averages these). */
export const autoDistilTasks: readonly string[] = Object.freeze(["MNLI", "QQP", "QNLI", "SST-2", "CoLA", "MRPC", "RTE"]);
/** NAS-BERT's 8 (Table 2 averages these): AutoDistil's plus STS-B. */
export const nasBertTasks: readonly string[] = Object.freeze([...autoDistilTasks, "STS-B"]);

/** NAS-BERT's parameter bands, in millions. */
export const parameterBands: readonly number[] = Object.freeze([5, 10, 30, 60]);

/** One published GLUE-dev row. */
export interface PublishedBertRow {
  readonly paper: "NAS-BERT" | "AutoDistil";
  readonly model: string;
  /** NAS-BERT's setting (PF = pre-training + fine-tuning, KD = two-stage distillation), or AutoDistil's size group. */
  readonly setting: string;
  readonly paramsM: number;
  /** Band of NAS-BERT's sizes the row falls in (nearest on a log scale). */
  readonly bandM: number;
  /** Score per task as published (null where the paper has none). */
  readonly scores: Readonly<Record<string, number | null>>;
  /** The paper's own average, and the tasks it is over. */
  readonly publishedAverage: number | null;
  readonly publishedAverageTasks: readonly string[];
  /** Where the row is: file, 0-based data row, and the source column. */
  readonly file: string;
  readonly row: number;
  readonly source: string;
}

/** The band nearest to a parameter count on a log scale (so 6.9M goes to 5M and 50M to 60M). */
export function parameterBand(paramsM: number): number {
  if (!(paramsM > 0)) throw new Error(`parameterBand: paramsM must be a positive number, got ${paramsM}`);
  return parameterBands.reduce((best, b) => (Math.abs(Math.log(paramsM / b)) < Math.abs(Math.log(paramsM / best)) ? b : best));
}

const toNumber = (v: string | undefined): number | null => {
  if (v === undefined || v.trim() === "" || v.trim() === "-") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** NAS-BERT Table 2: BERT and NAS-BERT at 5M/10M/30M/60M, PF and KD, 8 GLUE dev tasks. */
export function nasBertRows(): PublishedBertRow[] {
  const file = "nasbert_table2_glue_dev_by_size.csv";
  return loadPublished(file).map((r, row) => {
    const paramsM = Number(r.param_size.replace(/M$/, ""));
    return {
      paper: "NAS-BERT" as const,
      model: r.model,
      setting: r.setting,
      paramsM,
      bandM: parameterBand(paramsM),
      scores: Object.fromEntries(nasBertTasks.map((t) => [t, toNumber(r[t])])),
      publishedAverage: toNumber(r.AVG),
      publishedAverageTasks: nasBertTasks,
      file,
      row,
      source: r.source_url,
    };
  });
}

/** AutoDistil's Table 3 columns for each task. */
const autoDistilColumns: Readonly<Record<string, string>> = Object.freeze({ MNLI: "MNLI-m_acc", QQP: "QQP_acc", QNLI: "QNLI_acc", "SST-2": "SST-2_acc", CoLA: "CoLA_mcc", MRPC: "MRPC", RTE: "RTE_acc" });

/** AutoDistil Table 3: its models and the baselines it quotes, 7 GLUE dev tasks (the teacher row is left out). */
export function autoDistilRows(): PublishedBertRow[] {
  const file = "autodistil_table3_glue_dev.csv";
  return loadPublished(file)
    .map((r, row) => ({ r, row }))
    .filter(({ r }) => r.size_group !== "teacher")
    .map(({ r, row }) => {
      const paramsM = Number(r.params_M);
      return {
        paper: "AutoDistil" as const,
        model: r.model,
        setting: r.size_group,
        paramsM,
        bandM: parameterBand(paramsM),
        scores: Object.fromEntries(nasBertTasks.map((t) => [t, t in autoDistilColumns ? toNumber(r[autoDistilColumns[t]]) : null])),
        publishedAverage: toNumber(r.Average),
        publishedAverageTasks: autoDistilTasks,
        file,
        row,
        source: r.source_url,
      };
    });
}

/** Mean score over `tasks`, or null when a task is missing (an average over fewer tasks is a different number). */
export function taskAverage(scores: Readonly<Record<string, number | null>>, tasks: readonly string[]): number | null {
  let sum = 0;
  for (const t of tasks) {
    const v = scores[t];
    if (v === null || v === undefined) return null;
    sum += v;
  }
  return tasks.length > 0 ? sum / tasks.length : null;
}

/** One of our fine-tuned results: our task, our scale, a mean with its 95% interval over seeds. */
export interface OurBertRow {
  readonly model: string;
  readonly paramsM: number;
  readonly task: string;
  readonly mean: number;
  readonly ci: readonly [number, number];
  readonly n: number;
  readonly note?: string;
}

/** The comparison: the published block by band (recomputed 7-task average beside the paper's own) and our own block. */
export interface BertComparison {
  readonly published: Row[];
  readonly ours: Row[];
}

/** Builds the comparison from the published rows (both papers by default) and our rows. */
export function bertComparison(ours: readonly OurBertRow[] = [], published: readonly PublishedBertRow[] = [...nasBertRows(), ...autoDistilRows()]): BertComparison {
  const rows = [...published].sort((a, b) => a.bandM - b.bandM || a.paramsM - b.paramsM || a.paper.localeCompare(b.paper));
  const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
  return {
    published: rows.map((r) => ({
      band: `${r.bandM}M`,
      paper: r.paper,
      model: r.model,
      setting: r.setting,
      paramsM: r.paramsM,
      ...Object.fromEntries(nasBertTasks.map((t) => [t, r.scores[t]])),
      avg7: round(taskAverage(r.scores, autoDistilTasks)),
      paperAvg: r.publishedAverage,
      paperAvgOver: `${r.publishedAverageTasks.length} tasks`,
      source: `${r.source}; data/published/${r.file} row ${r.row + 1}`,
    })),
    ours: ours.map((o) => ({ block: "ours (our tasks and scale; not GLUE)", model: o.model, paramsM: o.paramsM, task: o.task, mean: o.mean, ciLo: o.ci[0], ciHi: o.ci[1], n: o.n, note: o.note ?? "" })),
  };
}

/** A table as CSV (RFC 4180 quoting). */
export function rowsToCsv(rows: readonly Row[]): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
}

/** Writes the comparison as CSV, Markdown and HTML (atomically) under `dir` with a base name; returns the paths. */
export function exportBertComparison(comparison: BertComparison, dir: string, base = "bert-comparison"): string[] {
  const note =
    "GLUE dev scores as published (data/published, source per row). avg7 = mean over AutoDistil's 7 tasks (no STS-B), recomputed for every row; " +
    "paperAvg = the paper's own average over the tasks named. Our rows are on our tasks and scale and are never averaged with GLUE.";
  const files: [string, string][] = [
    [`${base}.csv`, rowsToCsv(comparison.published)],
    [`${base}-ours.csv`, rowsToCsv(comparison.ours)],
    [`${base}.md`, `${note}\n\n${markdownTable(comparison.published, 4)}\n${comparison.ours.length ? `\n${markdownTable(comparison.ours, 4)}\n` : ""}`],
    [`${base}.html`, `<p>${note}</p>\n${tableToHtml(comparison.published, { title: "Published (GLUE dev)", maxRows: 1000 })}\n${comparison.ours.length ? tableToHtml(comparison.ours, { title: "Ours", maxRows: 1000 }) : ""}\n`],
  ];
  return files.map(([name, text]) => {
    const file = path.join(dir, name);
    atomicWriteFile(file, text);
    return file;
  });
}
