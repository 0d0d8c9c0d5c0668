/**
 * Descriptive statistics of the prepared data sets, as tidy rows for tables: how many examples
 * each split has, and how long they are in words and in subword tokens.
 */
import { getDataset } from "./registry";
import { Split, loadBiblePairs, loadBrownSentences, loadSentiment, loadTokenizer } from "./load";

/** One row of the statistics table. */
export interface DatasetStatsRow {
  readonly dataset: string;
  readonly split: Split;
  readonly side: string;
  readonly examples: number;
  readonly words: number;
  readonly tokens: number;
  readonly meanTokens: number;
  readonly maxTokens: number;
}

function stats(dataset: string, split: Split, side: string, texts: readonly string[], encode: (s: string) => number[]): DatasetStatsRow {
  let words = 0;
  let tokens = 0;
  let maxTokens = 0;
  for (const t of texts) {
    words += t.split(/\s+/).filter(Boolean).length;
    const n = encode(t).length;
    tokens += n;
    maxTokens = Math.max(maxTokens, n);
  }
  return { dataset, split, side, examples: texts.length, words, tokens, meanTokens: texts.length ? tokens / texts.length : 0, maxTokens };
}

/** Per data set, split and side: counts of examples, words and tokens (with its smallest prepared tokenizer). */
export function datasetStatistics(): DatasetStatsRow[] {
  const rows: DatasetStatsRow[] = [];
  const splits: Split[] = ["train", "valid", "test"];
  const tokenizerOf = (name: string) => loadTokenizer(name, Math.min(...getDataset(name).vocabSizes));
  const bible = tokenizerOf("bible-en-es");
  for (const split of splits) {
    const pairs = loadBiblePairs(split);
    rows.push(stats("bible-en-es", split, "en", pairs.map((p) => p.en), (s) => bible.encode(s)));
    rows.push(stats("bible-en-es", split, "es", pairs.map((p) => p.es), (s) => bible.encode(s)));
  }
  const brown = tokenizerOf("brown");
  for (const split of splits) rows.push(stats("brown", split, "text", loadBrownSentences(split), (s) => brown.encode(s)));
  const sentiment = tokenizerOf("sentiment");
  for (const split of splits) rows.push(stats("sentiment", split, "text", loadSentiment(split).map((r) => r.text), (s) => sentiment.encode(s)));
  return rows;
}
