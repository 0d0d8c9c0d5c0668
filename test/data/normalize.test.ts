import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeText, splitWords } from "../../src/data/tokenizer";

test("normalizeText composes to NFC, collapses whitespace runs and trims", () => {
  assert.equal(normalizeText("  nin\u0303o \t\n  cafe\u0301\u00a0 "), "niño café");
  assert.equal(normalizeText("a\u2028b\u3000c"), "a b c");
  assert.equal(normalizeText(" \n\t "), "");
});

test("normalizeText replaces lone surrogates, keeps pairs, and is idempotent", () => {
  assert.equal(normalizeText("a\uD800b\uDC00"), "a\uFFFDb\uFFFD");
  assert.equal(normalizeText("😀"), "😀");
  for (const t of ["  x\u0065\u0301  y ", "Ω\u0308\u0301 z", "\uD83D"]) {
    assert.equal(normalizeText(normalizeText(t)), normalizeText(t));
  }
});

test("splitWords splits on single spaces and gives no words for the empty text", () => {
  assert.deepEqual(splitWords("a b,c"), ["a", "b,c"]);
  assert.deepEqual(splitWords(""), []);
});
