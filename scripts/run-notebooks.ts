/**
 * `npm run notebooks -- [names...] [--preset tiny|small|paper] [--out DIR]`: executes the curated
 * notebooks headlessly, stores the executed copies and their figures under DIR (default
 * out/notebooks/<preset>), and exits non-zero on the first failing cell, naming it. After each
 * notebook it rewrites DIR/run.json (src/runner/run-log.ts) with the time every notebook took.
 */
import * as path from "path";
import { defaultPreset, parsePreset, PresetName } from "../src/config/preset";
import { resolveNotebooks, runNotebook } from "../src/runner/run-notebook";
import { logNotebook, resultsBackend, round, RunLog, startRunLog, writeRunLog } from "../src/runner/run-log";
import { describeMachine } from "../src/report/machine";
import { outputDir } from "../src/util/paths";
import { currentProvenance } from "../src/util/provenance";

function parseArgs(argv: string[]): { names: string[]; preset: PresetName; outDir: string | null } {
  const names: string[] = [];
  let preset: PresetName = process.env.SUPERNET_PRESET ? parsePreset(process.env.SUPERNET_PRESET, "SUPERNET_PRESET") : defaultPreset;
  let outDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--preset") preset = parsePreset(argv[++i] ?? "", "--preset");
    else if (a.startsWith("--preset=")) preset = parsePreset(a.slice(9), "--preset");
    else if (a === "--out") outDir = argv[++i];
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}; options: --preset tiny|small|paper, --out DIR`);
    else names.push(a);
  }
  return { names, preset, outDir };
}

async function main(): Promise<number> {
  const { names, preset, outDir } = parseArgs(process.argv.slice(2));
  const dir = outDir ?? path.join(outputDir, "notebooks", preset);
  const files = resolveNotebooks(names);
  console.log(`notebooks: ${files.length} on preset ${preset}, outputs in ${path.relative(process.cwd(), dir) || "."}`);
  let log: RunLog = startRunLog(preset, currentProvenance(preset), describeMachine(), files.map((f) => path.basename(f, ".ipynb")));
  writeRunLog(dir, log);
  for (const file of files) {
    const name = path.basename(file, ".ipynb");
    const startedAt = new Date();
    const started = startedAt.getTime();
    console.log(`notebooks: running ${name}`);
    const outcome = await runNotebook(file, { preset, outDir: dir, onLog: (l) => console.log(`  ${name}:${l.replace(/^\s+/, " ")}`) }).catch((err: Error) => err);
    const seconds = (Date.now() - started) / 1000;
    // Logged before anything can stop the run, so that a stopped run still has its times so far.
    const backend = resultsBackend(path.join(dir, "results"), name, startedAt.toISOString());
    log = logNotebook(log, { name, ok: !(outcome instanceof Error) && outcome.ok, seconds: round(seconds), startedAt: startedAt.toISOString(), backend });
    writeRunLog(dir, log);
    if (outcome instanceof Error) throw outcome;
    const result = outcome;
    if (!result.ok) {
      const where = result.cell >= 0 ? `cell ${result.cell}` : "start-up";
      console.error(`notebooks: FAILED ${name}, ${where}${result.source ? `:\n    ${result.source.split("\n").slice(0, 3).join("\n    ")}` : ""}`);
      console.error(`error: ${result.message}`);
      console.error(`partial output: ${result.output}`);
      return 1;
    }
    console.log(`notebooks: ${name} ok (${result.cells} code cells, ${seconds.toFixed(0)} s) -> ${path.relative(process.cwd(), result.output)}`);
  }
  return 0;
}

main().then((code) => process.exit(code), (err: Error) => {
  console.error(`notebooks: ${err.message}`);
  process.exit(2);
});
