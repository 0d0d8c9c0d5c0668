/**
 * `npm run report [-- --preset small] [--run DIR] [--out FILE]`: turns a notebook run (default
 * out/notebooks/small, the main job's) into RESULTS.md at the project root, with its figures
 * copied to docs/figures/ beside it (src/report/write-results-report.ts).
 */
import * as path from "path";
import { defaultPreset, parsePreset, PresetName } from "../src/config/preset";
import { writeResultsReport } from "../src/report/write-results-report";
import { listNotebooks } from "../src/runner/run-notebook";
import { outputDir, projectRoot } from "../src/util/paths";

function parseArgs(argv: string[]): { preset: PresetName; runDir: string | null; outFile: string } {
  let preset: PresetName = defaultPreset;
  let runDir: string | null = null;
  let outFile = path.join(projectRoot, "RESULTS.md");
  const value = (i: number, name: string) => {
    const v = argv[i];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--preset") preset = parsePreset(value(++i, a), "--preset");
    else if (a === "--run") runDir = path.resolve(value(++i, a));
    else if (a === "--out") outFile = path.resolve(value(++i, a));
    else throw new Error(`unknown argument ${a}; options: --preset tiny|small|paper, --run DIR, --out FILE`);
  }
  return { preset, runDir, outFile };
}

function main(): void {
  const { preset, runDir, outFile } = parseArgs(process.argv.slice(2));
  const dir = runDir ?? path.join(outputDir, "notebooks", preset);
  const { figures } = writeResultsReport({
    runDir: dir,
    outFile,
    preset,
    notebooks: listNotebooks().map((f) => path.basename(f, ".ipynb")),
    runDirLabel: path.relative(projectRoot, dir).startsWith("..") ? dir : path.relative(projectRoot, dir) || ".",
  });
  console.log(`report: wrote ${path.relative(process.cwd(), outFile)} from ${path.relative(process.cwd(), dir) || "."} (${figures.length} figure${figures.length === 1 ? "" : "s"} copied to docs/figures)`);
}

try {
  main();
} catch (err) {
  console.error(`report: ${(err as Error).message}`);
  process.exit(2);
}
