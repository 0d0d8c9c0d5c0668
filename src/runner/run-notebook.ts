/**
 * Headless execution of notebooks through Jupyter (nbclient, Debian's python3-nbclient) with the
 * project's tslab kernel. Each notebook gets its own figures folder; a failing cell is reported
 * with the notebook, the cell number and tslab's real error message.
 */
import * as fs from "fs";
import * as path from "path";
import { spawn } from "child_process";
import { PresetName } from "../config/preset";
import { projectRoot } from "../util/paths";

/** The Python that has Jupyter (Debian's); `python3` on PATH may be another one. */
export const jupyterPython = process.env.SUPERNET_PYTHON ?? "/usr/bin/python3";

/** Outcome of one notebook. */
export type NotebookResult =
  | { readonly ok: true; readonly notebook: string; readonly output: string; readonly cells: number; readonly seconds: number }
  | { readonly ok: false; readonly notebook: string; readonly output: string; readonly cell: number; readonly source: string; readonly message: string };

/** Options of a notebook run. */
export interface RunNotebookOptions {
  readonly preset: PresetName;
  /** Folder for executed copies; figures go to <outDir>/figures/<notebook>/. */
  readonly outDir: string;
  /** Seconds a single cell may run. */
  readonly cellTimeoutS?: number;
  /** Jupyter kernel to run it on (default tslab). */
  readonly kernel?: string;
  /** Called with each line the executor prints on stderr (cell timings). */
  readonly onLog?: (line: string) => void;
}

/** The curated notebooks, in order. */
export function listNotebooks(dir = path.join(projectRoot, "notebooks")): string[] {
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => path.join(dir, f));
}

/** Resolves names ("00", "00-quickstart", a file path) to notebook files, with an error listing the known ones. */
export function resolveNotebooks(names: readonly string[], dir = path.join(projectRoot, "notebooks")): string[] {
  const all = listNotebooks(dir);
  if (names.length === 0) return all;
  return names.map((name) => {
    if (name.endsWith(".ipynb") && fs.existsSync(name)) return path.resolve(name);
    const hit = all.find((f) => path.basename(f, ".ipynb") === name || path.basename(f).startsWith(`${name}-`));
    if (!hit) throw new Error(`no notebook named "${name}"; known: ${all.map((f) => path.basename(f, ".ipynb")).join(", ")}`);
    return hit;
  });
}

/** Executes one notebook and returns what happened (never throws for a failing cell). */
export function runNotebook(file: string, options: RunNotebookOptions): Promise<NotebookResult> {
  const name = path.basename(file, ".ipynb");
  const output = path.join(options.outDir, `${name}.ipynb`);
  const env = {
    ...process.env,
    JUPYTER_PATH: [path.join(projectRoot, ".jupyter", "share", "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(":"),
    SUPERNET_PRESET: options.preset,
    SUPERNET_FIGURES_DIR: path.join(options.outDir, "figures", name),
    SUPERNET_RESULTS_DIR: path.join(options.outDir, "results"),
    SUPERNET_NOTEBOOK: name,
  };
  const args = [path.join(projectRoot, "scripts", "execute_notebook.py"), file, output, "--timeout", String(options.cellTimeoutS ?? 3600), "--kernel", options.kernel ?? "tslab", "--cwd", projectRoot];
  return new Promise((resolve, reject) => {
    const child = spawn(jupyterPython, args, { env, cwd: projectRoot });
    let stdout = "";
    let stderrTail = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      const text = d.toString();
      stderrTail = (stderrTail + text).slice(-4000);
      for (const line of text.split("\n")) if (line.trim()) options.onLog?.(line);
    });
    child.on("error", (err) => reject(new Error(`cannot start ${jupyterPython}: ${err.message}; run: npm run setup`)));
    child.on("close", () => {
      const last = stdout.trim().split("\n").pop() ?? "";
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(last) as Record<string, unknown>;
      } catch {
        resolve({ ok: false, notebook: name, output, cell: -1, source: "", message: `the executor failed before running cells:\n${stderrTail.trim()}` });
        return;
      }
      if (parsed.ok) resolve({ ok: true, notebook: name, output, cells: Number(parsed.cells), seconds: Number(parsed.seconds) });
      else resolve({ ok: false, notebook: name, output, cell: Number(parsed.cell), source: String(parsed.source), message: String(parsed.message) });
    });
  });
}
