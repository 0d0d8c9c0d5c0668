import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/util/rng";
import { BOS_ID, BpeTokenizer, EOS_ID, PAD_ID, UNK_ID, normalizeText, trainBpe } from "../../src/data/tokenizer";
import { brownSentences, spanishSentences } from "./fixtures";

const tok: BpeTokenizer = trainBpe([...brownSentences(10), ...spanishSentences], { vocabSize: 1500, specials: ["<mask>", "<2es>"] });
const firstByteId = 4 + 2;

const samples = [
  "The jury said it did find that many of Georgia's registration and election laws are outmoded.",
  ...spanishSentences,
  "Punctuation: (a), [b]; {c}! \"quoted\" -- 'single' ... ?!",
  "Digits 0123456789, 3.14159 and 1,000,000 and 12:30pm",
  "Emoji 👍🏽 and a family 👨‍👩‍👧 and flags 🇪🇸🇺🇸",
  "Unseen scripts: 你好世界, Привет, مرحبا, Ελληνικά, ✓ ≤ ∑ ∞",
  "Decomposed nin\u0303o and cafe\u0301 become precomposed",
  "  tabs\tand\nnewlines   collapse  ",
  "A literal \u2581 marker, <0x41>, <s>, </s>, <pad> and <mask> typed as text",
  "lone surrogate \uD800 here",
  "",
  " \n ",
  "x",
];

test("decode(encode(t)) === normalizeText(t) for English, Spanish, punctuation, digits, emoji and unseen characters", () => {
  for (const t of samples) assert.equal(tok.decode(tok.encode(t)), normalizeText(t), JSON.stringify(t));
});

test("encode emits only text pieces: never pad, bos, eos, unk or the extra specials", () => {
  for (const t of samples) for (const id of tok.encode(t)) assert.ok(id >= firstByteId && id < tok.vocabSize, `${id} in ${t}`);
});

test("round trip holds for random strings mixing ASCII, accents, CJK, emoji and control characters", () => {
  const rng = new Rng(42);
  const ranges: [number, number][] = [[0x20, 0x7e], [0xc0, 0x17f], [0x300, 0x36f], [0x4e00, 0x4fff], [0x1f300, 0x1f64f], [0x0, 0x1f], [0x2000, 0x206f]];
  for (let n = 0; n < 300; n++) {
    const cps = Array.from({ length: rng.int(30) }, () => {
      const [lo, hi] = rng.choice(ranges);
      return lo + rng.int(hi - lo + 1);
    });
    const t = String.fromCodePoint(...cps);
    assert.equal(tok.decode(tok.encode(t)), normalizeText(t), JSON.stringify(t));
  }
});

test("unseen characters are spelled in UTF-8 byte pieces", () => {
  const ids = tok.encode("€");
  assert.deepEqual(ids.map((id) => tok.pieceOf(id)), ["\u2581", "<0xE2>", "<0x82>", "<0xAC>"]);
});

test("special ids are fixed, and decode drops control tokens and reads unk as U+FFFD", () => {
  assert.deepEqual([PAD_ID, BOS_ID, EOS_ID, UNK_ID], [0, 1, 2, 3]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((id) => tok.pieceOf(id)), ["<pad>", "<s>", "</s>", "<unk>", "<mask>", "<2es>"]);
  assert.equal(tok.idOf("<mask>"), 4);
  assert.equal(tok.idOf("<0x00>"), firstByteId);
  const body = tok.encode("hola mundo");
  assert.equal(tok.decode([BOS_ID, 4, ...body, EOS_ID, PAD_ID, PAD_ID]), "hola mundo");
  assert.equal(tok.decode([UNK_ID]), "\uFFFD");
  assert.deepEqual(tok.specials, ["<mask>", "<2es>"]);
});

test("words are pieces with the word-start marker, so spaces survive exactly", () => {
  const pieces = tok.encode("the the").map((id) => tok.pieceOf(id));
  assert.deepEqual(pieces, ["\u2581the", "\u2581the"]);
  assert.equal(tok.decode(tok.encode("a  b")), "a b");
});

test("encoding is cached per word and stays consistent", () => {
  const t = brownSentences(1).join(" ");
  assert.deepEqual(tok.encode(t), tok.encode(t));
});

test("decode and pieceOf reject ids outside the vocabulary, naming the position and range", () => {
  assert.throws(() => tok.decode([5, 1500]), /ids\[1\] must be an integer in \[0, 1499\], got 1500/);
  assert.throws(() => tok.decode([-1]), /ids\[0\]/);
  assert.throws(() => tok.pieceOf(2.5), /id must be an integer in \[0, 1499\], got 2.5/);
  assert.throws(() => tok.encode(7 as unknown as string), /text must be a string/);
});
