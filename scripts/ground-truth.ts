/**
 * `npm run ground-truth -- --preset small [--bert] [--updates N] [sweep flags...] [--pack-only]`: trains the
 * preset's ground truth (the stratified design of src/estimator/ground-truth.ts, every subnet with
 * every ground-truth seed; with --bert, BERT subnets pretrained with masked LM) through `npm run sweep` (local worker processes, or a Slurm job array with
 * `--backend slurm --wait ...`), then packs the finished sweep into data/artifacts/ with a manifest
 * of checksums, revisions and this command, which notebooks verify and use instead of training.
 * `--pack-only` packs a sweep that finished earlier (e.g. a Slurm array submitted without --wait).
 * `--updates N` trains a longer (or shorter) ground truth than the preset's: a different spec hash,
 * so it never mixes with the preset's own results; once packed, setting the preset's
 * `groundTruthUpdates` to N is what makes the notebooks use it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parsePreset, PresetName } from "../src/config/preset";
import { atomicWriteJson } from "../src/util/atomic-write";
import { outputDir, projectRoot } from "../src/util/paths";

function main(): number {
  const argv = process.argv.slice(2);
  let preset: PresetName | null = null;
  let packOnly = false;
  let bert = false;
  let updates: number | null = null;
  let outDir = outputDir;
  const passThrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--preset") preset = parsePreset(argv[++i] ?? "", "--preset");
    else if (a === "--pack-only") packOnly = true;
    else if (a === "--bert") bert = true;
    else if (a === "--updates") {
      const raw = argv[++i] ?? "";
      updates = /^[1-9][0-9]*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(updates)) {
        console.error(`--updates must be a whole number of training updates >= 1, got ${JSON.stringify(raw)}`);
        return 2;
      }
    }
    else {
      if (a === "--out") outDir = path.resolve(argv[i + 1] ?? "");
      passThrough.push(a);
    }
  }
  if (preset === null) {
    console.error("usage: npm run ground-truth -- --preset tiny|small|paper [--bert] [--updates N] [npm run sweep flags...] [--pack-only]");
    return 2;
  }
  // Loaded after the arguments are checked: these modules pull in TensorFlow.js.
  const { groundTruthSpec } = require("../src/estimator/ground-truth-spec") as typeof import("../src/estimator/ground-truth-spec");
  const { packSweepArtifact, sweepStatus } = require("../src/sweep/index") as typeof import("../src/sweep/index");
  const { reportInterim } = require("../src/estimator/ground-truth-progress") as typeof import("../src/estimator/ground-truth-progress");
  const presetSpec = groundTruthSpec(preset, bert ? "masked-lm" : "translation");
  const spec = updates === null ? presetSpec : { ...presetSpec, updates };
  const flags = `${bert ? " --bert" : ""}${updates === null ? "" : ` --updates ${updates}`}`;
  const again = `npm run ground-truth -- --preset ${preset}${flags}`;
  const specFile = path.join(outDir, "specs", `${spec.name}.json`);
  atomicWriteJson(specFile, spec);
  console.log(`${spec.name}: ${spec.archs.length} subnets x seeds ${spec.seeds.join(", ")}, ${spec.updates} updates each; spec in ${path.relative(projectRoot, specFile)}`);
  if (!packOnly) {
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts", "sweep.ts"), specFile, ...passThrough], { stdio: "inherit", cwd: projectRoot });
    if (run.status !== 0) return run.status ?? 1;
  }
  const status = sweepStatus(spec, outDir);
  if (status.done < status.total) {
    reportInterim(spec, outDir);
    console.log(`${spec.name}: ${status.done}/${status.total} jobs finished; pack it once the sweep is done with: npm run ground-truth -- --preset ${preset} --pack-only${flags}${outDir === outputDir ? "" : ` --out ${outDir}`}`);
    return 0;
  }
  const manifest = packSweepArtifact(spec, outDir, again);
  // A resume point kept in the repository is superseded by the packed artifact: drop it.
  const inProgress = path.join(projectRoot, "data", "artifacts", "in-progress");
  if (path.resolve(status.dir).startsWith(inProgress + path.sep)) fs.rmSync(status.dir, { recursive: true, force: true });
  if (spec.updates !== presetSpec.updates) console.log(`${spec.name}: the preset trains its ground truth for ${presetSpec.updates} updates; set groundTruthUpdates to ${spec.updates} for the notebooks to use this one`);
  console.log(`${spec.name}: packed ${manifest.jobs} results (${(manifest.jobSeconds / 3600).toFixed(2)} h of training, revision ${manifest.revisions.map((r) => (r ?? "none").slice(0, 7)).join(", ")}) into data/artifacts/sweeps/${spec.name}-${manifest.specHash.slice(0, 8)}`);
  return 0;
}

process.exit(main());
