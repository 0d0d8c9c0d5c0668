import { test } from "node:test";
import assert from "node:assert/strict";
import { rstripWhitespace, splitWhitespace, tokenize13a } from "../../src/eval/bleu";

// Each expected string was also checked against sacreBLEU 2.6.0's Tokenizer13a.

test("punctuation is split off words, periods and commas at word ends too", () => {
  assert.equal(tokenize13a("Hello, world."), "Hello , world .");
  assert.equal(tokenize13a("(see [1])"), "( see [ 1 ] )");
  assert.equal(tokenize13a('end."'), 'end . "');
  assert.equal(tokenize13a("x@y.com/path"), "x @ y . com / path");
  assert.equal(tokenize13a("$5.00 or 50%"), "$ 5.00 or 50 %");
});

test("periods and commas stay inside numbers, but split beside a non-digit", () => {
  assert.equal(tokenize13a("It costs 3,000.50 dollars."), "It costs 3,000.50 dollars .");
  // ".5": a space precedes the period, so it splits; "5.": a space follows it; "1,a": a letter follows.
  assert.equal(tokenize13a(".5 and 5. and 1,a"), ". 5 and 5 . and 1 , a");
  // Abbreviations are not special in 13a: every period before a letter or space splits.
  assert.equal(tokenize13a("Mr. Smith, e.g. U.S.A."), "Mr . Smith , e . g . U . S . A .");
});

test("hyphens stay inside words and split only after a digit", () => {
  assert.equal(tokenize13a("a well-known state-of-the-art model"), "a well-known state-of-the-art model");
  assert.equal(tokenize13a("from 1990-2000"), "from 1990 - 2000");
  assert.equal(tokenize13a("a-2 and 2-a"), "a-2 and 2 - a");
});

test("apostrophes are kept", () => {
  assert.equal(tokenize13a("It wasn't"), "It wasn't");
});

test("<skipped> is removed, dash-newline joins, newline is a space", () => {
  assert.equal(tokenize13a("a <skipped> b"), "a b");
  assert.equal(tokenize13a("broken-\nline and\nnext"), "brokenline and next");
});

test("four XML entities are unescaped once, in sacreBLEU's order", () => {
  assert.equal(tokenize13a("&quot;hi&quot; &amp; &lt;b&gt;"), '" hi " & < b >');
  // &amp; is unescaped after &quot; but before &lt;: "&amp;quot;" -> "&quot;", "&amp;lt;" -> "<".
  assert.equal(tokenize13a("&amp;quot; &amp;lt;"), "& quot ; <");
  assert.equal(tokenize13a("&apos;"), "& apos ;");
});

test("whitespace-only and empty segments give no tokens", () => {
  assert.equal(tokenize13a(""), "");
  assert.equal(tokenize13a(" \t "), "");
  assert.equal(tokenize13a("tab\there"), "tab here");
});

test("whitespace is Python's: U+001C and U+0085 separate, U+FEFF does not", () => {
  assert.deepEqual(splitWhitespace("a\u001cb\u0085c\u00a0d"), ["a", "b", "c", "d"]);
  assert.deepEqual(splitWhitespace("a\ufeffb"), ["a\ufeffb"]);
  assert.deepEqual(splitWhitespace("  a  b "), ["a", "b"]);
  assert.deepEqual(splitWhitespace(""), []);
  assert.equal(rstripWhitespace("a b \n\u0085"), "a b");
  assert.equal(rstripWhitespace("a\ufeff"), "a\ufeff");
});
