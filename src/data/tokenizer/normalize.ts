/**
 * Text normalisation and pre-tokenisation for the BPE tokenizer. Text is put in Unicode NFC so
 * that "ñ" typed as one code point or as "n" + combining tilde becomes the same piece, whitespace
 * runs become one space, and the text is split into words on that space. The tokenizer promises
 * `decode(encode(t)) === normalizeText(t)`, so this function defines what "the same text" means.
 */

// Lone UTF-16 surrogates cannot be written as UTF-8, so the byte fallback could not spell them;
// they become U+FFFD here, which is what any UTF-8 encoder would produce for them anyway.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// JavaScript's \s: ASCII whitespace, no-break and other Unicode spaces, line/paragraph separators, BOM.
const WHITESPACE_RUN = /\s+/g;

/** The canonical form of a text: well-formed, NFC, whitespace runs collapsed to one space, trimmed. */
export function normalizeText(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").normalize("NFC").replace(WHITESPACE_RUN, " ").trim();
}

/** The words of an already normalised text (split on single spaces); [] for the empty text. */
export function splitWords(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(" ");
}
