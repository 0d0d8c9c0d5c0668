/**
 * Loading prepared data sets. Every loader checks that the data set was prepared and that its
 * files still match the manifest, so a hand-edited or half-copied file is caught, not trained on.
 */
import * as fs from "fs";
import * as path from "path";
import { sha256File } from "../util/atomic-write";
import { preparedDir } from "../util/paths";
import { getDataset } from "./registry";
import type { DatasetManifest } from "./prepare/prepare-dataset";
import { VersePair, pairsFromTsv } from "./prepare/bible";
import { LabelledSentence } from "./prepare/sentiment";
import { BpeTokenizer } from "./tokenizer/index";

/** A data split name. */
export type Split = "train" | "valid" | "test";

const verified = new Set<string>();

/** The folder of a prepared data set, after checking its manifest and checksums (once per process). */
export function datasetDir(name: string): string {
  getDataset(name);
  const dir = path.join(preparedDir, name);
  const manifestFile = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`dataset ${name} is not prepared (no ${manifestFile}); run: npm run data`);
  }
  if (!verified.has(dir)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as DatasetManifest;
    for (const [file, hash] of Object.entries(manifest.files)) {
      const full = path.join(dir, file);
      if (!fs.existsSync(full)) throw new Error(`dataset ${name}: ${full} is missing; run: npm run data -- --force ${name}`);
      if (sha256File(full) !== hash) throw new Error(`dataset ${name}: ${full} does not match its manifest checksum; run: npm run data -- --force ${name}`);
    }
    verified.add(dir);
  }
  return dir;
}

function checkSplit(split: string): asserts split is Split {
  if (split !== "train" && split !== "valid" && split !== "test") {
    throw new Error(`split must be one of train, valid, test; got "${split}"`);
  }
}

/** English-Spanish verse pairs of one split. */
export function loadBiblePairs(split: Split): VersePair[] {
  checkSplit(split);
  const file = path.join(datasetDir("bible-en-es"), `${split}.tsv`);
  return pairsFromTsv(fs.readFileSync(file, "utf8"), file);
}

/** Brown Corpus sentences of one split. */
export function loadBrownSentences(split: Split): string[] {
  checkSplit(split);
  return fs.readFileSync(path.join(datasetDir("brown"), `${split}.txt`), "utf8").split("\n").filter((s) => s.length > 0);
}

/** Labelled sentiment sentences of one split. */
export function loadSentiment(split: Split): LabelledSentence[] {
  checkSplit(split);
  const text = fs.readFileSync(path.join(datasetDir("sentiment"), `${split}.tsv`), "utf8");
  return text.split("\n").filter((l) => l.length > 0).map((line) => {
    const [source, label, sentence] = line.split("\t");
    return { source: source as LabelledSentence["source"], label: label === "1" ? 1 : 0, text: sentence };
  });
}

/** The subword tokenizer trained on a data set's training split. */
export function loadTokenizer(dataset: string, vocabSize: number): BpeTokenizer {
  const info = getDataset(dataset);
  if (!info.vocabSizes.includes(vocabSize)) {
    throw new Error(`dataset ${dataset} has no tokenizer of vocabSize ${vocabSize}; prepared sizes: ${info.vocabSizes.join(", ")}`);
  }
  const file = path.join(datasetDir(dataset), `tokenizer-${vocabSize}.json`);
  return BpeTokenizer.fromJSON(JSON.parse(fs.readFileSync(file, "utf8")));
}
