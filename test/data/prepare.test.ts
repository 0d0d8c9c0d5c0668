import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "crypto";
import { exportSwordModule, osisToText, parseImp } from "../../src/data/sources/sword";
import { pairsFromTsv, pairsToTsv, readBiblePairs, splitOfBook, testBooks, validBooks } from "../../src/data/prepare/bible";
import { splitOfDocument, untagLine } from "../../src/data/prepare/brown";
import { getDataset } from "../../src/data/registry";
import { loadBiblePairs, loadBrownSentences, loadSentiment, loadTokenizer } from "../../src/data/load";

test("OSIS verse markup becomes plain text: no footnotes, headings, tags or back matter", () => {
  const osis = '<w lemma="strong:H0430">God</w><note placement="foot"><reference>1:1 </reference>The word “God”.</note><w>created</w> &amp; <title type="x">Heading</title>rested.  <chapter eID="Gen.1"/><div>Glossary …</div>';
  assert.equal(osisToText(osis), "God created & rested.");
  const imp = "$$$[ Module Heading ]\nintro\n$$$Ruth 1:0\nchapter intro\n$$$Ruth 1:1\n<w>In</w> the days\n$$$Ruth 1:2\n\n";
  assert.deepEqual(parseImp(imp), [{ book: "Ruth", chapter: 1, verse: 1, text: "In the days" }]);
});

test("a missing SWORD module is an error with the exact install command", () => {
  assert.throws(() => exportSwordModule("noSuchModule"), /apt-get install -y libsword-utils sword-text-web sword-text-sparv/);
  assert.throws(() => getDataset("wmt14"), /unknown dataset "wmt14"; registered: bible-en-es, brown, sentiment/);
});

test("translation splits hold out whole books, are disjoint, and are deterministic", () => {
  assert.equal(validBooks.filter((b) => testBooks.includes(b)).length, 0);
  const books = { train: new Set<string>(), valid: new Set<string>(), test: new Set<string>() };
  for (const split of ["train", "valid", "test"] as const) for (const p of loadBiblePairs(split)) books[split].add(p.book);
  for (const b of books.valid) assert.ok(!books.train.has(b) && !books.test.has(b), b);
  for (const b of books.test) assert.ok(!books.train.has(b), b);
  assert.deepEqual([...books.valid].sort(), [...validBooks].sort());
  assert.equal(splitOfBook("Genesis"), "train");
  // Exporting again gives byte-identical pairs.
  const hash = () => createHash("sha256").update(pairsToTsv(readBiblePairs())).digest("hex");
  assert.equal(hash(), hash());
  const sample = loadBiblePairs("valid").slice(0, 3);
  assert.deepEqual(pairsFromTsv(pairsToTsv(sample)), sample);
  assert.throws(() => pairsFromTsv("a\tb\n", "x.tsv"), /x.tsv:1: expected 5 tab-separated fields, found 2/);
});

test("Brown and sentiment splits: whole documents held out, every tenth sentence for test", () => {
  assert.equal(untagLine("The/at Fulton/np-tl jury/nn ``/`` said/vbd ./."), 'The Fulton jury " said .');
  assert.deepEqual([0, 7, 8, 9, 10, 19].map(splitOfDocument), ["train", "train", "valid", "test", "train", "test"]);
  const train = new Set(loadBrownSentences("train"));
  const overlap = loadBrownSentences("test").filter((s) => s.length > 60 && train.has(s));
  assert.ok(overlap.length < 5, `long test sentences also in train: ${overlap.length}`);
  const s = { train: loadSentiment("train"), valid: loadSentiment("valid"), test: loadSentiment("test") };
  assert.equal(s.train.length + s.valid.length + s.test.length, 3000);
  assert.ok(s.test.every((r) => r.label === 0 || r.label === 1));
});

test("prepared tokenizers load and round-trip held-out text", () => {
  const tok = loadTokenizer("bible-en-es", 1000);
  for (const p of loadBiblePairs("test").slice(0, 50)) assert.equal(tok.decode(tok.encode(p.es)), p.es);
  assert.throws(() => loadTokenizer("bible-en-es", 333), /no tokenizer of vocabSize 333; prepared sizes: 1000, 4000/);
});
