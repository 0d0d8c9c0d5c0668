/**
 * Reading Bible texts from installed SWORD modules (Debian packages `sword-text-*`), exported
 * with `mod2imp` from `libsword-utils`. The raw export is OSIS markup; footnotes and headings are
 * dropped and word-level tags removed, leaving the plain verse text.
 */
import { spawnSync } from "child_process";

/** One verse: its book name, chapter, verse number and plain text. */
export interface Verse {
  readonly book: string;
  readonly chapter: number;
  readonly verse: number;
  readonly text: string;
}

/** The Debian packages that provide the sword tools and the two modules. */
export const swordInstallCommand = "apt-get install -y libsword-utils sword-text-web sword-text-sparv";

/** Runs `mod2imp` on an installed module and returns its raw IMP export. */
export function exportSwordModule(module: string): string {
  const run = spawnSync("mod2imp", [module], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.error) {
    throw new Error(`cannot run mod2imp (${run.error.message}); install it with: ${swordInstallCommand}`);
  }
  if (run.status !== 0 || /Couldn't find module/.test(run.stderr + run.stdout)) {
    throw new Error(`SWORD module ${module} is not installed; install it with: ${swordInstallCommand}`);
  }
  return run.stdout;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Converts one verse of OSIS markup to plain text. */
export function osisToText(osis: string): string {
  // A book's last verse can carry the module's back matter after the chapter's end marker.
  const end = osis.search(/<chapter\b[^>]*\beID=/);
  return (end >= 0 ? osis.slice(0, end) : osis)
    .replace(/<note\b[^>]*>[\s\S]*?<\/note>/g, " ") // footnotes are commentary, not translation
    .replace(/<title\b[^>]*>[\s\S]*?<\/title>/g, " ") // section headings are editorial
    .replace(/<[^>]*>/g, "") // word tags (<w lemma=...>), quotes, line breaks: keep the words
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => entities[e])
    .replace(/\s+/g, " ")
    .trim();
}

/** Parses an IMP export (`$$$Book C:V` headers followed by text) into verses with text. */
export function parseImp(imp: string): Verse[] {
  const verses: Verse[] = [];
  const parts = imp.split(/^\$\$\$/m);
  for (const part of parts) {
    const newline = part.indexOf("\n");
    const key = (newline < 0 ? part : part.slice(0, newline)).trim();
    const m = /^(.+) (\d+):(\d+)$/.exec(key);
    if (!m) continue; // module, testament and book headings
    const chapter = Number(m[2]);
    const verse = Number(m[3]);
    if (chapter === 0 || verse === 0) continue; // book and chapter introductions
    const text = osisToText(newline < 0 ? "" : part.slice(newline + 1));
    if (text.length > 0) verses.push({ book: m[1], chapter, verse, text });
  }
  return verses;
}
