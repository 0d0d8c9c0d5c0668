/**
 * The English-Spanish translation corpus: verse-aligned pairs of the World English Bible and
 * the Reina-Valera 1909, both public domain. Whole books are held out for validation and test,
 * so no verse of a held-out book is seen in training (verses of one book share names and style).
 */
import { Verse, exportSwordModule, parseImp } from "../sources/sword";

/** A verse-aligned sentence pair. */
export interface VersePair {
  readonly book: string;
  readonly chapter: number;
  readonly verse: number;
  readonly en: string;
  readonly es: string;
}

/** Books held out whole for validation (short books from both testaments, ~1.1k verses). */
export const validBooks: readonly string[] = [
  "Ruth", "Jonah", "Lamentations", "Ecclesiastes", "Galatians", "Colossians", "James", "I Peter",
];
/** Books held out whole for test (~1.1k verses). */
export const testBooks: readonly string[] = [
  "Esther", "Micah", "Habakkuk", "Song of Solomon", "Ephesians", "Philippians", "Titus", "II Peter", "Hebrews",
];

/** Which split a book belongs to. */
export function splitOfBook(book: string): "train" | "valid" | "test" {
  if (validBooks.includes(book)) return "valid";
  if (testBooks.includes(book)) return "test";
  return "train";
}

/** Joins two verse lists on (book, chapter, verse), keeping canon order of the first. */
export function alignVerses(english: readonly Verse[], spanish: readonly Verse[]): VersePair[] {
  const byKey = new Map<string, string>();
  for (const v of spanish) byKey.set(`${v.book}|${v.chapter}|${v.verse}`, v.text);
  const pairs: VersePair[] = [];
  for (const v of english) {
    const es = byKey.get(`${v.book}|${v.chapter}|${v.verse}`);
    if (es !== undefined) pairs.push({ book: v.book, chapter: v.chapter, verse: v.verse, en: v.text, es });
  }
  return pairs;
}

/** Exports both installed modules and returns the aligned pairs. */
export function readBiblePairs(): VersePair[] {
  const english = parseImp(exportSwordModule("engWEB2015eb"));
  const spanish = parseImp(exportSwordModule("spaRV1909eb"));
  return alignVerses(english, spanish);
}

/** Serialises pairs as TSV lines: book, chapter, verse, English, Spanish. */
export function pairsToTsv(pairs: readonly VersePair[]): string {
  const clean = (s: string) => s.replace(/[\t\n]/g, " ");
  return pairs.map((p) => `${p.book}\t${p.chapter}\t${p.verse}\t${clean(p.en)}\t${clean(p.es)}\n`).join("");
}

/** Parses the TSV written by `pairsToTsv`, naming the file and line of any malformed row. */
export function pairsFromTsv(tsv: string, file = "<tsv>"): VersePair[] {
  const out: VersePair[] = [];
  const lines = tsv.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    const f = lines[i].split("\t");
    if (f.length !== 5) throw new Error(`${file}:${i + 1}: expected 5 tab-separated fields, found ${f.length}`);
    out.push({ book: f[0], chapter: Number(f[1]), verse: Number(f[2]), en: f[3], es: f[4] });
  }
  return out;
}
