/**
 * Sentence sentiment from UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015): positive or
 * negative reviews from Amazon, IMDb and Yelp. The in-domain task keeps the prepared splits of all
 * three sites. The cross-domain task trains and validates on two sites and tests on every sentence of
 * the third, which no model selection has seen: the gap to in-domain accuracy measures how much of a
 * subnet's skill is the site's vocabulary rather than sentiment.
 */
import { getDataset } from "../registry";
import { Split, loadSentiment } from "../load";
import type { LabelledSentence } from "../prepare/sentiment";
import type { SentenceExample, TaskSource, TextTask } from "./text-task";

/** The three review sites. */
export const sentimentSources: readonly LabelledSentence["source"][] = Object.freeze(["amazon", "imdb", "yelp"] as const);

/** Label names of the sentiment tasks, indexed by label. */
export const sentimentLabelNames: readonly string[] = Object.freeze(["negative", "positive"]);

const splits: readonly Split[] = ["train", "valid", "test"];

// The prepared files keep each site's order and send position i to test when i % 10 == 9, to
// valid when i % 10 == 8 (src/data/prepare/prepare-dataset.ts); inverting that gives a sentence id
// that is the same in every task built from these files.
function positionInSource(split: Split, k: number): number {
  if (split === "train") return Math.floor(k / 8) * 10 + (k % 8);
  return k * 10 + (split === "valid" ? 8 : 9);
}

function examplesBySource(split: Split): Map<string, SentenceExample[]> {
  const out = new Map<string, SentenceExample[]>(sentimentSources.map((s) => [s, []]));
  for (const row of loadSentiment(split)) {
    const list = out.get(row.source)!;
    list.push({ text: row.text, label: row.label, unit: `${row.source}#${positionInSource(split, list.length)}` });
  }
  return out;
}

function sourceInfo(rule: string): TaskSource {
  const info = getDataset("sentiment");
  return { dataset: info.name, licence: info.licence, reference: info.reference, rule };
}

/** Sentiment of single sentences from all three sites, on the prepared splits. */
export function sentimentTask(): TextTask<SentenceExample> {
  const bySplit = Object.fromEntries(splits.map((split) => {
    const bySource = examplesBySource(split);
    return [split, sentimentSources.flatMap((s) => bySource.get(s)!)];
  }));
  return {
    name: "sentiment",
    title: "Sentence sentiment (UCI: Amazon, IMDb, Yelp)",
    kind: "sentence",
    labelNames: sentimentLabelNames,
    splits: bySplit as Record<Split, SentenceExample[]>,
    source: sourceInfo(getDataset("sentiment").splitRule),
  };
}

/** Sentiment trained and validated on two sites and tested on all sentences of `heldOut`. */
export function crossDomainSentimentTask(heldOut: LabelledSentence["source"]): TextTask<SentenceExample> {
  if (!sentimentSources.includes(heldOut)) {
    throw new Error(`crossDomainSentimentTask: heldOut must be one of ${sentimentSources.join(", ")}, got ${JSON.stringify(heldOut)}`);
  }
  const kept = sentimentSources.filter((s) => s !== heldOut);
  const per = Object.fromEntries(splits.map((split) => [split, examplesBySource(split)])) as Record<Split, Map<string, SentenceExample[]>>;
  return {
    name: `sentiment-cross-domain-${heldOut}`,
    title: `Cross-domain sentence sentiment (train ${kept.join(" + ")}, test ${heldOut})`,
    kind: "sentence",
    labelNames: sentimentLabelNames,
    splits: {
      train: kept.flatMap((s) => per.train.get(s)!),
      valid: kept.flatMap((s) => per.valid.get(s)!),
      test: splits.flatMap((split) => per[split].get(heldOut)!),
    },
    source: sourceInfo(`train and valid: the prepared train and valid splits of ${kept.join(" and ")}; test: every ${heldOut} sentence (its train, valid and test splits)`),
  };
}
