/**
 * `npm run data [-- names...] [--force] [--update-checksums]`: prepares the registered data sets
 * that are missing or out of date under data/prepared/.
 */
import { datasets } from "../src/data/registry";
import { datasetDir } from "../src/data/load";
import { prepareDataset } from "../src/data/prepare/prepare-dataset";

function main(): void {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const updateChecksums = args.includes("--update-checksums");
  const names = args.filter((a) => !a.startsWith("--"));
  const selected = names.length > 0 ? names : datasets.map((d) => d.name);
  for (const name of selected) {
    if (!force && !updateChecksums) {
      try {
        datasetDir(name);
        console.log(`data: ${name} is prepared and matches its manifest`);
        continue;
      } catch {
        // not prepared or stale: prepare it below
      }
    }
    const started = Date.now();
    console.log(`data: preparing ${name} ...`);
    const manifest = prepareDataset(name, { updateChecksums, log: (s) => console.log(s) });
    const counts = Object.entries(manifest.counts).map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(`data: ${name} ready (${counts}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

try {
  main();
} catch (err) {
  console.error(`data: ${(err as Error).message}`);
  process.exit(1);
}
