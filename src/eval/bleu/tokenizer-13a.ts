/**
 * The "13a" tokenizer of sacreBLEU (sacrebleu/tokenizers/tokenizer_13a.py and tokenizer_re.py),
 * itself the tokenisation of NIST's mteval-v13a.pl used by WMT: drop `<skipped>`, join lines
 * broken after a dash, unescape four XML entities, then split off punctuation with four regexes,
 * keeping periods and commas inside numbers ("3,000.50") and hyphens inside words ("well-known").
 * Whitespace follows Python's `str.split()`/`str.rstrip()`, not JavaScript's `\s`, so that tokens
 * and lengths match sacreBLEU byte for byte.
 */

/**
 * Python's `str.isspace()` set. It differs from JavaScript's `\s`: it adds U+001C..U+001F and
 * U+0085 and leaves out U+FEFF, and a token boundary there changes n-gram counts.
 */
const PY_SPACE = "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_SPACE_RUN = new RegExp(`[${PY_SPACE}]+`);
const PY_TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`);

/**
 * The mteval-v13a regexes in sacreBLEU's order. Each mirrors one `re.sub` of TokenizerRegexp;
 * the first character class is the ASCII ranges {-~, [-`, space-&, (-+, :-@ and "/", which
 * leaves out the apostrophe, comma, hyphen, period, digits and letters.
 */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // Language-dependent part (assuming Western languages): split off most ASCII symbols.
  [/([{-~[-` -&(-+:-@\/])/g, " $1 "],
  // Split a period or comma off unless a digit precedes it ...
  [/([^0-9])([.,])/g, "$1 $2 "],
  // ... or unless a digit follows it, so "3,000.50" stays one token.
  [/([.,])([^0-9])/g, " $1 $2"],
  // Split a dash after a digit ("1990-2000"), but not inside words ("well-known").
  [/([0-9])(-)/g, "$1 $2 "],
];

/** Python's `str.split()` with no argument: split on runs of Python whitespace, dropping empty ends. */
export function splitWhitespace(line: string): string[] {
  return line.split(PY_SPACE_RUN).filter((token) => token.length > 0);
}

/** Python's `str.rstrip()` with no argument: drop trailing Python whitespace. */
export function rstripWhitespace(line: string): string {
  return line.replace(PY_TRAILING_SPACE, "");
}

/** Tokenizes one segment the way sacreBLEU's `Tokenizer13a` does; returns tokens joined by single spaces. */
export function tokenize13a(line: string): string {
  let out = line
    .replaceAll("<skipped>", "")
    .replaceAll("-\n", "")
    .replaceAll("\n", " ");
  // The order matters and is sacreBLEU's: "&amp;lt;" becomes "<", but "&amp;quot;" stays "&quot;".
  out = out
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">");
  // Padding lets the period and comma rules see a non-digit at both ends of the segment.
  out = ` ${out} `;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return splitWhitespace(out).join(" ");
}
