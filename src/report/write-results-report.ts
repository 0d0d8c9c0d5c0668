/**
 * `npm run report`'s file work: reads a run folder (run.json, results/<notebook>.json,
 * figures/<notebook>/*.png), copies the chosen figures beside the report so that RESULTS.md shows
 * them without the (ignored) out/ folder, and writes RESULTS.md atomically.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteFile } from "../util/atomic-write";
import { NotebookResultsFile, resultsFormat } from "./results";
import { FigureLink, NotebookReportInput, renderResultsReport } from "./results-report";
import { readRunLog } from "../runner/run-log";

/** Options of `writeResultsReport`. */
export interface WriteResultsReportOptions {
  /** The run folder, e.g. out/notebooks/small. */
  readonly runDir: string;
  /** The report file, e.g. RESULTS.md at the project root. */
  readonly outFile: string;
  /** Preset the run folder holds (for the title and the error message). */
  readonly preset: string;
  /** Curated notebooks in order; results files of other notebooks follow them. */
  readonly notebooks: readonly string[];
  /** Where figures are copied (default: docs/figures beside the report). */
  readonly figuresDir?: string;
  /** How the run folder is named in the report (default: as given). */
  readonly runDirLabel?: string;
  /** Report time (default: now). */
  readonly date?: Date;
  /** Budget of the main job in minutes (default 60). */
  readonly budgetMinutes?: number;
}

/** Reads a results file and checks its format, naming the file when it is wrong. */
export function readResultsFile(file: string): NotebookResultsFile {
  let r: NotebookResultsFile;
  try {
    r = JSON.parse(fs.readFileSync(file, "utf8")) as NotebookResultsFile;
  } catch (err) {
    throw new Error(`results file ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (r.format !== resultsFormat) throw new Error(`results file ${file} has format ${JSON.stringify(r.format)}, expected ${resultsFormat}`);
  if (typeof r.entries !== "object" || r.entries === null) throw new Error(`results file ${file}: entries must be an object, got ${JSON.stringify(r.entries)}`);
  return r;
}

/** The figures of a notebook to show: those its `figures` entry names, else all its PNGs by name. */
export function chooseFigures(figuresDir: string, listed: unknown): { chosen: string[]; missing: string[]; others: number } {
  const pngs = fs.existsSync(figuresDir) ? fs.readdirSync(figuresDir).filter((f) => f.endsWith(".png")).map((f) => f.slice(0, -4)).sort() : [];
  if (!Array.isArray(listed)) return { chosen: pngs, missing: [], others: 0 };
  const names = listed.map((n) => String(n).replace(/\.(png|html)$/, ""));
  const chosen = names.filter((n) => pngs.includes(n));
  return { chosen, missing: names.filter((n) => !pngs.includes(n)), others: pngs.filter((p) => !chosen.includes(p)).length };
}

/** Writes the report and copies its figures; returns the Markdown and the figure copies made. */
export function writeResultsReport(options: WriteResultsReportOptions): { markdown: string; figures: string[] } {
  const { runDir, outFile, preset } = options;
  if (!fs.existsSync(runDir) || !fs.statSync(runDir).isDirectory()) {
    throw new Error(`run folder ${runDir} does not exist: make it with \`npm run main\` (preset small) or \`npm run notebooks -- --preset ${preset}\``);
  }
  const run = readRunLog(runDir);
  const resultsDir = path.join(runDir, "results");
  const found = fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort() : [];
  const names = [...options.notebooks, ...[...(run?.requested ?? []), ...found].filter((n, i, all) => !options.notebooks.includes(n) && all.indexOf(n) === i)];
  const figuresOut = options.figuresDir ?? path.join(path.dirname(outFile), "docs", "figures");
  const copies: string[] = [];
  const notebooks: NotebookReportInput[] = names.map((name) => {
    const file = path.join(resultsDir, `${name}.json`);
    const results = fs.existsSync(file) ? readResultsFile(file) : null;
    const src = path.join(runDir, "figures", name);
    const { chosen, missing, others } = chooseFigures(src, results?.entries.figures);
    const figures: FigureLink[] = chosen.map((fig) => {
      const dest = path.join(figuresOut, `${name}-${fig}.png`);
      atomicWriteFile(dest, fs.readFileSync(path.join(src, `${fig}.png`)));
      copies.push(dest);
      return { name: fig, link: path.relative(path.dirname(outFile), dest).split(path.sep).join("/") };
    });
    return { name, results, figures, missingFigures: missing, otherFigures: others };
  });
  const markdown = renderResultsReport({
    preset,
    runDir: options.runDirLabel ?? runDir,
    run,
    notebooks,
    date: options.date ?? new Date(),
    budgetMinutes: options.budgetMinutes ?? 60,
  });
  atomicWriteFile(outFile, markdown);
  return { markdown, figures: copies };
}
