/**
 * Two downstream tasks cut from the Brown Corpus along its prepared document splits, so a subnet
 * pretrained with masked-LM on Brown's train split meets the valid and test documents of these
 * tasks for the first time.
 * - Genre: which of the 15 genres a sentence comes from. Sentences, not documents: a Brown
 *   document is ~2,000 words, far beyond the short inputs of the tiny presets. The genres are
 *   skewed (learned 80 documents, science fiction 6) and the split rule leaves science fiction with
 *   no valid or test document and humor with no test document; `describeTask` reports the counts.
 * - Next sentence: does B directly follow A in the same document? BERT's next-sentence prediction
 *   (Devlin et al., 2019) as a sentence-pair task: positives are consecutive sentences, negatives
 *   pair A with a sentence of another document of the same split, exactly half of each.
 */
import { Rng } from "../../util/rng";
import { getDataset } from "../registry";
import type { Split } from "../load";
import type { BrownDocument } from "../prepare/brown";
import { brownGenres, loadBrownDocuments } from "./brown-documents";
import type { SentenceExample, SentencePairExample, TaskSource, TextTask } from "./text-task";

/** Options of the Brown tasks. */
export interface BrownTaskOptions {
  /** Sentences with fewer whitespace-separated tokens (punctuation counts) are left out; a positive integer. */
  readonly minWords: number;
}

/** Leaves out fragments such as `"` or `1 .` that carry no genre and no continuity. */
export const brownTaskDefaults: BrownTaskOptions = Object.freeze({ minWords: 3 });

/** Label names of the next-sentence task, indexed by label. */
export const nextSentenceLabelNames: readonly string[] = Object.freeze(["not-next", "next"]);

const splits: readonly Split[] = ["train", "valid", "test"];

function resolve(options: Partial<BrownTaskOptions>, where: string): BrownTaskOptions {
  const o = { ...brownTaskDefaults, ...options };
  if (!Number.isInteger(o.minWords) || o.minWords < 1) throw new Error(`${where}: minWords must be a positive integer, got ${o.minWords}`);
  return o;
}

function sourceInfo(rule: string): TaskSource {
  const info = getDataset("brown");
  return { dataset: info.name, licence: info.licence, reference: info.reference, rule: `${info.splitRule}; ${rule}` };
}

const wordCount = (s: string): number => s.split(/\s+/).filter((w) => w.length > 0).length;

/** Brown sentence → genre, on the prepared document splits. */
export function brownGenreTask(options: Partial<BrownTaskOptions> = {}): TextTask<SentenceExample> {
  const { minWords } = resolve(options, "brownGenreTask");
  const genres = brownGenres();
  const examplesOf = (split: Split): SentenceExample[] => loadBrownDocuments(split).flatMap((d) =>
    d.sentences.filter((s) => wordCount(s) >= minWords).map((text) => ({ text, label: genres.indexOf(d.genre), unit: d.id })));
  return {
    name: "brown-genre",
    title: "Brown genre of a sentence (15 genres)",
    kind: "sentence",
    labelNames: genres,
    splits: { train: examplesOf("train"), valid: examplesOf("valid"), test: examplesOf("test") },
    source: sourceInfo(`every sentence of at least ${minWords} tokens, labelled with its document's genre`),
  };
}

/** Brown next-sentence pairs, half consecutive and half across documents, drawn with `rng`. */
export function brownNextSentenceTask(rng: Rng, options: Partial<BrownTaskOptions> = {}): TextTask<SentencePairExample> {
  if (!(rng instanceof Rng)) throw new Error("brownNextSentenceTask: rng must be an Rng (new Rng(seed))");
  const { minWords } = resolve(options, "brownNextSentenceTask");
  // One fork per split, so a split's pairs do not depend on how many draws another split took.
  const streams = splits.map(() => rng.fork());
  const pairsOf = (split: Split, r: Rng) => nextSentencePairs(loadBrownDocuments(split), minWords, r);
  return {
    name: "brown-next-sentence",
    title: "Brown next sentence: does B follow A in the same document?",
    kind: "sentence-pair",
    labelNames: nextSentenceLabelNames,
    splits: { train: pairsOf("train", streams[0]), valid: pairsOf("valid", streams[1]), test: pairsOf("test", streams[2]) },
    source: sourceInfo(`A with its next sentence (label next) or with a random sentence of another document of the split (label not-next), 50/50; sentences of at least ${minWords} tokens`),
  };
}

/**
 * Every consecutive pair (A, next) of eligible sentences is an anchor; a shuffled half keeps its
 * next sentence, the other half gets a B drawn from another document, never equal to A or to A's
 * true next sentence. An odd anchor out is dropped so the classes are exactly balanced.
 */
export function nextSentencePairs(docs: readonly BrownDocument[], minWords: number, rng: Rng): SentencePairExample[] {
  const docIds = new Set(docs.map((d) => d.id));
  if (docIds.size < 2) throw new Error(`nextSentencePairs: docs must hold at least 2 documents to draw negatives from, got ${docIds.size}`);
  const ok = (s: string) => wordCount(s) >= minWords;
  const anchors: [number, number][] = [];
  const pool: [number, number][] = [];
  docs.forEach((d, di) => d.sentences.forEach((s, si) => {
    if (!ok(s)) return;
    pool.push([di, si]);
    const next = d.sentences[si + 1];
    if (next !== undefined && ok(next) && next !== s) anchors.push([di, si]);
  }));
  const order = rng.shuffle(anchors);
  const half = Math.floor(order.length / 2);
  const out: SentencePairExample[] = [];
  for (let k = 0; k < 2 * half; k++) {
    const [di, si] = order[k];
    const doc = docs[di];
    const textA = doc.sentences[si];
    if (k < half) {
      out.push({ textA, textB: doc.sentences[si + 1], label: 1, unitA: doc.id, unitB: doc.id });
      continue;
    }
    const next = doc.sentences[si + 1];
    for (let tries = 0; ; tries++) {
      if (tries === 1000) throw new Error(`nextSentencePairs: no sentence of another document differs from "${textA}" after 1000 draws`);
      const [dj, sj] = rng.choice(pool);
      const textB = docs[dj].sentences[sj];
      if (docs[dj].id === doc.id || textB === textA || textB === next) continue;
      out.push({ textA, textB, label: 0, unitA: doc.id, unitB: docs[dj].id });
      break;
    }
  }
  return rng.shuffle(out);
}
