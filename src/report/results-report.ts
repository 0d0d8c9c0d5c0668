/**
 * RESULTS.md from a notebook run: a header (date, machine, backend, revision, preset), the time
 * each notebook took with the main job's 60-minute budget, then one section per notebook with its
 * findings, key tables, estimates and figures. Pure: parsed files in, Markdown out; reading the
 * run folder and copying figures is in write-results-report.ts.
 */
import { NotebookResultsFile, estimateViolations, findEstimates } from "./results";
import { formatEstimate, formatNumber, markdownTable } from "./markdown-format";
import { MachineDescription, machineLabel } from "./machine";
import type { RunLog } from "../runner/run-log";
import { revisionLabel } from "../util/provenance";
import { Row } from "./table";

/** A figure copied next to the report. */
export interface FigureLink {
  /** Figure name as the notebook saved it (file name without .png). */
  readonly name: string;
  /** Path of the copy, relative to the report (forward slashes). */
  readonly link: string;
}

/** What the report knows about one notebook. */
export interface NotebookReportInput {
  readonly name: string;
  /** Its results file, or null when the run folder has none. */
  readonly results: NotebookResultsFile | null;
  /** Figures to show, in order. */
  readonly figures: readonly FigureLink[];
  /** Names listed in the `figures` entry that have no PNG. */
  readonly missingFigures: readonly string[];
  /** PNGs of the notebook not shown (the `figures` entry chose others). */
  readonly otherFigures: number;
}

/** Everything RESULTS.md is made from. */
export interface ResultsReportInput {
  readonly preset: string;
  /** The run folder as it should be named in the report (relative to the project root). */
  readonly runDir: string;
  /** run.json, or null for a run made before the runner wrote one. */
  readonly run: RunLog | null;
  /** Notebooks in report order. */
  readonly notebooks: readonly NotebookReportInput[];
  /** When the report is made. */
  readonly date: Date;
  /** Wall-clock budget of the main job in minutes (set-up not included). */
  readonly budgetMinutes: number;
}

/** A `table.*` entry. */
export interface TableEntry {
  readonly title: string;
  readonly rows: readonly Row[];
  readonly note?: string;
}

/** Whether an entry has the shape of a key table. */
export function isTableEntry(v: unknown): v is TableEntry {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.title === "string" && Array.isArray(o.rows) && o.rows.every((r) => typeof r === "object" && r !== null && !Array.isArray(r)) && (o.note === undefined || typeof o.note === "string");
}

/** An ISO time as "2026-12-02 06:50 UTC". */
export function formatTime(iso: string | Date): string {
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? String(iso) : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const minutes = (seconds: number) => `${formatNumber(Math.round(seconds / 6) / 10)} min`;

/** The sentence saying whether the run met the main job's budget, or why that cannot be judged. */
export function budgetLine(run: RunLog | null, notebooks: readonly string[], budgetMinutes: number): string {
  const budget = `${budgetMinutes}-minute budget`;
  if (run === null) return `No run.json in the run folder, so its times were not recorded and the ${budget} cannot be judged.`;
  const took = `the notebooks took ${minutes(run.totalSeconds)} (set-up not included)`;
  if (run.preset !== "small") return `The ${budget} applies to the main job on the small preset; this run is on ${run.preset} and ${took}.`;
  const failed = run.notebooks.filter((t) => !t.ok).map((t) => t.name);
  const missing = notebooks.filter((n) => !run.notebooks.some((t) => t.name === n));
  const gaps = [
    ...(failed.length > 0 ? [`${failed.join(", ")} failed`] : []),
    ...(missing.length > 0 ? [`${missing.join(", ")} did not run`] : []),
  ];
  if (run.totalSeconds > budgetMinutes * 60) return `The main job did not meet its ${budget}: ${took}${gaps.length > 0 ? `, and ${gaps.join(" and ")}` : ""}.`;
  if (gaps.length === 0) return `The main job met its ${budget}: ${took}.`;
  return `Whether the main job meets its ${budget} cannot be judged from this run: ${gaps.join(" and ")}; ${took}.`;
}

function backendLabel(input: ResultsReportInput): string {
  const byBackend = new Map<string, string[]>();
  for (const nb of input.notebooks) {
    const fromRun = input.run?.notebooks.find((t) => t.name === nb.name)?.backend ?? null;
    const b = nb.results?.provenance.backend ?? fromRun;
    if (b && b !== "none") byBackend.set(b, [...(byBackend.get(b) ?? []), nb.name]);
  }
  if (byBackend.size === 0) return "not recorded";
  if (byBackend.size === 1) return [...byBackend.keys()][0];
  return [...byBackend].map(([b, names]) => `${b} (${names.join(", ")})`).join("; ");
}

function header(input: ResultsReportInput): string[] {
  const { run } = input;
  const machine: MachineDescription | undefined = run?.machine;
  const finished = run && run.notebooks.length > 0 ? `, last notebook finished ${formatTime(run.updatedAt)}` : "";
  const revision = run ? revisionLabel(run.provenance) : [...new Set(input.notebooks.flatMap((nb) => (nb.results ? [revisionLabel(nb.results.provenance)] : [])))].join(", ") || "not recorded";
  return [
    `# Results of the \`${input.preset}\` run`,
    "",
    `Made by \`npm run report\` from \`${input.runDir}\` on ${formatTime(input.date)}; rerun it after \`npm run main\` rather than editing this file.`,
    "",
    `- **Date**: ${run ? `run started ${formatTime(run.startedAt)}${finished}` : "not recorded (no run.json)"}`,
    `- **Machine**: ${machine ? machineLabel(machine) : "not recorded"}`,
    `- **Backend**: ${backendLabel(input)}`,
    `- **Revision**: ${revision}`,
    `- **Preset**: ${input.preset}`,
    ...(run ? [`- **Node**: ${run.provenance.node}`] : []),
  ];
}

function timing(input: ResultsReportInput): string[] {
  const names = input.notebooks.map((nb) => nb.name);
  const rows = input.notebooks.map((nb) => {
    const t = input.run?.notebooks.find((x) => x.name === nb.name);
    return { notebook: nb.name, status: t ? (t.ok ? "ok" : "FAILED") : "not run", minutes: t ? Math.round(t.seconds / 6) / 10 : null };
  });
  if (input.run) rows.push({ notebook: "**total**", status: "", minutes: Math.round(input.run.totalSeconds / 6) / 10 });
  return ["## Run time", "", markdownTable(rows), "", budgetLine(input.run, names, input.budgetMinutes)];
}

function notebookSection(nb: NotebookReportInput, run: RunLog | null): string[] {
  const out = [`## ${nb.name}`, ""];
  const r = nb.results;
  if (r === null) return [...out, "No results file (did it run?)."];
  const timed = run?.notebooks.find((t) => t.name === nb.name);
  if (run && r.startedAt < run.startedAt) out.push(`_These results are from an earlier run (${formatTime(r.startedAt)}, revision ${revisionLabel(r.provenance)}), not the run above._`, "");
  else if (timed && !timed.ok) out.push("_The notebook failed in this run: its results stop where it failed._", "");
  const problems: string[] = estimateViolations(r.entries).map((v) => `estimate ${v}`);
  const findings = r.entries.findings;
  if (findings !== undefined && !(Array.isArray(findings) && findings.every((f) => typeof f === "string"))) problems.push("entry `findings` must be an array of strings");
  const tables: TableEntry[] = [];
  const estimates: string[] = [];
  for (const [key, value] of Object.entries(r.entries)) {
    if (key.startsWith("table.")) {
      if (isTableEntry(value)) tables.push(value);
      else problems.push(`entry \`${key}\` must be { title: string, rows: object[], note?: string }`);
    } else if (key !== "findings" && key !== "figures") {
      for (const e of findEstimates(value, key)) estimates.push(`- \`${e.path}\`: ${formatEstimate(e.estimate)}`);
    }
  }
  if (problems.length > 0) out.push(...problems.map((p) => `> **Check failed**: ${p}`), "");
  if (Array.isArray(findings) && findings.length > 0) out.push("### Findings", "", ...findings.map((f) => `- ${String(f).replace(/\r?\n/g, "\n  ")}`), "");
  for (const t of tables) out.push(`### ${t.title}`, "", markdownTable(t.rows), "", ...(t.note ? [`_${t.note}_`, ""] : []));
  if (estimates.length > 0) out.push("### Estimates", "", ...estimates, "");
  if (nb.figures.length > 0 || nb.missingFigures.length > 0) {
    out.push("### Figures", "", ...nb.figures.flatMap((f) => [`![${f.name}](${f.link})`, ""]));
    if (nb.missingFigures.length > 0) out.push(`_Named in \`figures\` but not found: ${nb.missingFigures.join(", ")}._`, "");
  }
  if (nb.otherFigures > 0) out.push(`_${nb.otherFigures} more figure${nb.otherFigures === 1 ? "" : "s"} in the run folder's figures/${nb.name}/._`, "");
  if (out.length === 2) out.push("The results file records nothing to show yet.");
  return out;
}

/** RESULTS.md as a string. */
export function renderResultsReport(input: ResultsReportInput): string {
  const parts = [header(input), timing(input), ...input.notebooks.map((nb) => notebookSection(nb, input.run))];
  return parts.map((p) => p.join("\n").trimEnd()).join("\n\n") + "\n";
}
