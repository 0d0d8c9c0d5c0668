/**
 * UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015): 1000 Amazon, 1000 IMDb and
 * 1000 Yelp sentences labelled positive/negative, as shipped in the test fixtures of the npm
 * package `sentiment` (pinned to 5.0.2, whose tarball contains them). A sentence-classification
 * task for encoder-only (BERT-style) subnets.
 */
import * as fs from "fs";
import * as path from "path";

/** A labelled sentence and the site it comes from. */
export interface LabelledSentence {
  readonly source: "amazon" | "imdb" | "yelp";
  readonly text: string;
  readonly label: 0 | 1;
}

const sources = ["amazon", "imdb", "yelp"] as const;

/** Reads the three fixture files of the installed `sentiment` package. */
export function readSentimentSentences(): LabelledSentence[] {
  let dir: string;
  try {
    dir = path.join(path.dirname(require.resolve("sentiment/package.json")), "test", "fixtures");
  } catch {
    throw new Error("npm package sentiment is missing; install it with: npm install sentiment@5.0.2");
  }
  const out: LabelledSentence[] = [];
  for (const source of sources) {
    const file = path.join(dir, `${source}.json`);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: the sentences ship only with sentiment@5.0.2; run npm install sentiment@5.0.2`);
    }
    const rows = JSON.parse(fs.readFileSync(file, "utf8")) as { text: string; class: number }[];
    // Each fixture ends with an empty row labelled 0 (1001 rows for 1000 sentences): not a sentence.
    for (const r of rows) if (r.text.trim() !== "") out.push({ source, text: r.text.trim(), label: r.class === 1 ? 1 : 0 });
  }
  return out;
}
