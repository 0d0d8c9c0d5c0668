import { test } from "node:test";
import assert from "node:assert/strict";
import { BPE_JSON_VERSION, BpeTokenizer, trainBpe } from "../../src/data/tokenizer";
import { brownSentences, spanishSentences } from "./fixtures";

const texts = [...brownSentences(5), ...spanishSentences];
const tok = trainBpe(texts, { vocabSize: 1000, specials: ["<mask>"] });
const saved = JSON.parse(JSON.stringify(tok)) as Record<string, unknown>;

test("a saved tokenizer reloads to the same model and the same encodings", () => {
  assert.equal(saved.version, BPE_JSON_VERSION);
  assert.equal(saved.vocabSize, 1000);
  const loaded = BpeTokenizer.fromJSON(saved);
  assert.deepEqual(loaded.toJSON(), tok.toJSON());
  for (const t of [...texts.slice(0, 50), "¿Qué tal? 👋 你好"]) assert.deepEqual(loaded.encode(t), tok.encode(t));
  assert.equal(loaded.vocabSize, tok.vocabSize);
});

test("toJSON returns copies: editing them does not change the tokenizer", () => {
  const json = tok.toJSON() as unknown as { merges: unknown[] };
  json.merges.length = 0;
  assert.equal(tok.toJSON().merges.length, 1000 - 4 - 1 - 256 - tok.toJSON().alphabet.length);
});

const corrupt = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...saved, ...patch });

test("corrupted files fail with an error naming the field", () => {
  const cases: [unknown, RegExp][] = [
    [null, /expected a plain object, got null/],
    ["{}", /expected a plain object/],
    [corrupt({ format: "other" }), /format must be "supernet-lab\/bpe", got "other"/],
    [corrupt({ version: 2 }), /version must be 1 .*got 2/],
    [corrupt({ version: undefined }), /version must be 1 .*got undefined \(missing\)/],
    [corrupt({ merges: undefined }), /merges must be an array of \[left, right\] piece pairs, got undefined \(missing\)/],
    [corrupt({ merges: [[1, 2]] }), /merges\[0\] must be a pair of strings \[left, right\], got \[1,2\]/],
    [corrupt({ merges: [["a", "b", "c"]] }), /merges\[0\] must be a pair of strings/],
    [corrupt({ alphabet: "abc" }), /alphabet must be an array of strings, got "abc"/],
    [corrupt({ alphabet: ["\u2581", 7] }), /alphabet\[1\] must be a string, got 7/],
    [corrupt({ alphabet: ["a"] }), /alphabet\[0\] must be the word-start marker/],
    [corrupt({ alphabet: ["\u2581", "ab"] }), /alphabet\[1\] must be a single character/],
    [corrupt({ specials: ["<s>"] }), /specials\[0\] = "<s>" is a duplicate or a fixed special/],
    [corrupt({ vocabSize: "1000" }), /vocabSize must be an integer, got "1000"/],
    [corrupt({ merges: (saved.merges as unknown[]).slice(0, 10) }), /vocabSize says 1000 but specials, alphabet and merges make/],
    [corrupt({ merges: [["\u2581", "\u00e6\u00e6"]] }), /merges\[0\] = .* must join two earlier alphabet or merged pieces/],
    [corrupt({ merges: [["<0x41>", "\u2581"]] }), /merges\[0\] = .* must join two earlier alphabet or merged pieces/],
  ];
  for (const [json, message] of cases) assert.throws(() => BpeTokenizer.fromJSON(json), message, JSON.stringify(json)?.slice(0, 80));
});

test("a merge list that repeats a merge is rejected, since pieces must be unique", () => {
  const merges = saved.merges as [string, string][];
  assert.throws(
    () => BpeTokenizer.fromJSON(corrupt({ merges: [...merges, merges[0]], vocabSize: 1001 })),
    /merges\[\d+\] makes ".*", which is already a piece/,
  );
});
