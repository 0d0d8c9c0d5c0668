/**
 * Downstream classification tasks for fine-tuning BERT-style subnets: a task is plain data, fixed
 * train/valid/test splits of labelled examples plus where they come from, so a notebook can label a
 * table with `describeTask` and every number can be traced to its source and split rule. The
 * majority-class baseline is the floor a fine-tuned subnet must beat: the most frequent training
 * label, scored on the test split.
 */
import type { Split } from "../load";
import { Rng } from "../../util/rng";

/** A labelled sentence. */
export interface SentenceExample {
  readonly text: string;
  /** Index into the task's labelNames. */
  readonly label: number;
  /** What splits never share: a sentence id ("amazon#17") or a document id ("ca01"). */
  readonly unit: string;
}

/** A labelled sentence pair. */
export interface SentencePairExample {
  readonly textA: string;
  readonly textB: string;
  /** Index into the task's labelNames. */
  readonly label: number;
  /** Documents the two sentences come from; splits never share a document. */
  readonly unitA: string;
  readonly unitB: string;
}

/** Where a task's data comes from, for labelling results. */
export interface TaskSource {
  /** The registered data set (src/data/registry.ts) the examples are drawn from. */
  readonly dataset: string;
  readonly licence: string;
  readonly reference: string;
  /** How the examples and the splits are made. */
  readonly rule: string;
}

/** A classification task with fixed splits. */
export interface TextTask<E extends { readonly label: number }> {
  /** Short stable name, e.g. "sentiment" or "sentiment-cross-domain-yelp". */
  readonly name: string;
  readonly title: string;
  readonly kind: "sentence" | "sentence-pair";
  readonly labelNames: readonly string[];
  readonly splits: Readonly<Record<Split, readonly E[]>>;
  readonly source: TaskSource;
}

/** The majority-class baseline: the most frequent training label and its accuracy on test. */
export interface MajorityBaseline {
  readonly label: number;
  readonly labelName: string;
  readonly accuracy: number;
}

/** What a notebook prints about a task. */
export interface TaskDescription {
  readonly name: string;
  readonly title: string;
  readonly kind: TextTask<{ label: number }>["kind"];
  readonly source: TaskSource;
  readonly labelNames: readonly string[];
  readonly sizes: Readonly<Record<Split, number>>;
  /** Examples per label, indexed like labelNames. */
  readonly classCounts: Readonly<Record<Split, readonly number[]>>;
  readonly majorityBaseline: MajorityBaseline;
}

/** Examples per label among `numLabels` labels. */
export function classCounts(labels: Iterable<number>, numLabels: number): number[] {
  const counts = new Array<number>(numLabels).fill(0);
  for (const l of labels) {
    if (!Number.isInteger(l) || l < 0 || l >= numLabels) throw new Error(`classCounts: label must be an integer in [0, ${numLabels - 1}], got ${l}`);
    counts[l]++;
  }
  return counts;
}

/** The most frequent training label (the lowest on ties) and the share of test labels equal to it. */
export function majorityBaseline(trainLabels: readonly number[], testLabels: readonly number[], labelNames: readonly string[]): MajorityBaseline {
  if (trainLabels.length === 0) throw new Error("majorityBaseline: trainLabels must not be empty");
  if (testLabels.length === 0) throw new Error("majorityBaseline: testLabels must not be empty");
  const counts = classCounts(trainLabels, labelNames.length);
  classCounts(testLabels, labelNames.length);
  let label = 0;
  for (let l = 1; l < counts.length; l++) if (counts[l] > counts[label]) label = l;
  const hits = testLabels.filter((l) => l === label).length;
  return { label, labelName: labelNames[label], accuracy: hits / testLabels.length };
}

/** Source, licence, split sizes, class counts and majority baseline of a task. */
export function describeTask<E extends { readonly label: number }>(task: TextTask<E>): TaskDescription {
  const labelsOf = (split: Split) => task.splits[split].map((e) => e.label);
  const n = task.labelNames.length;
  return {
    name: task.name,
    title: task.title,
    kind: task.kind,
    source: task.source,
    labelNames: task.labelNames,
    sizes: { train: task.splits.train.length, valid: task.splits.valid.length, test: task.splits.test.length },
    classCounts: { train: classCounts(labelsOf("train"), n), valid: classCounts(labelsOf("valid"), n), test: classCounts(labelsOf("test"), n) },
    majorityBaseline: majorityBaseline(labelsOf("train"), labelsOf("test"), task.labelNames),
  };
}

/**
 * At most `limit` examples drawn without replacement with `seed`, in their original order (all of
 * them, as given, when limit is null or not below their number): a fixed evaluation subset that
 * keeps a large test split's cost in check while every run scores the same examples.
 */
export function fixedSubset<E>(examples: readonly E[], limit: number | null, seed: number): readonly E[] {
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1)) throw new Error(`fixedSubset: limit must be a positive integer or null, got ${limit}`);
  if (limit === null || limit >= examples.length) return examples;
  const chosen = new Rng(seed).shuffle(Array.from(examples.keys())).slice(0, limit).sort((a, b) => a - b);
  return chosen.map((i) => examples[i]);
}
