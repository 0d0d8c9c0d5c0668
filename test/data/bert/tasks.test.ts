import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../../src/util/rng";
import type { Split } from "../../../src/data/load";
import { readSentimentSentences } from "../../../src/data/prepare/sentiment";
import {
  brownGenreTask, brownNextSentenceTask, crossDomainSentimentTask, describeTask, loadBrownDocuments, majorityBaseline,
  nextSentencePairs, sentimentSources, sentimentTask, downstreamTask, downstreamTaskNames, fixedSubset,
} from "../../../src/data/bert/index";
import { bertPresets } from "../../../src/config/bert-presets";

const splits: Split[] = ["train", "valid", "test"];

test("the majority baseline scores the most frequent training label on test, ties to the lowest label", () => {
  const names = ["a", "b", "c"];
  assert.deepEqual(majorityBaseline([0, 1, 1, 2, 1, 0], [1, 0, 2, 1], names), { label: 1, labelName: "b", accuracy: 0.5 });
  assert.deepEqual(majorityBaseline([2, 0, 2, 0], [1, 1, 2], names), { label: 0, labelName: "a", accuracy: 0 });
  assert.throws(() => majorityBaseline([0, 3], [0], names), /label must be an integer in \[0, 2\], got 3/);
  const d = describeTask({
    name: "toy", title: "Toy", kind: "sentence", labelNames: ["no", "yes"],
    splits: { train: [0, 1, 1].map((label) => ({ label })), valid: [], test: [0, 0, 1, 0].map((label) => ({ label })) },
    source: { dataset: "none", licence: "-", reference: "-", rule: "-" },
  });
  assert.deepEqual(d.sizes, { train: 3, valid: 0, test: 4 });
  assert.deepEqual(d.classCounts, { train: [1, 2], valid: [0, 0], test: [3, 1] });
  assert.deepEqual(d.majorityBaseline, { label: 1, labelName: "yes", accuracy: 0.25 });
});

test("sentiment keeps the prepared splits, which partition the source: each sentence id names its own row of it", () => {
  const task = sentimentTask();
  const d = describeTask(task);
  assert.deepEqual(d.sizes, { train: 2400, valid: 300, test: 300 });
  assert.match(d.source.licence, /CC BY 4.0/);
  const all = splits.flatMap((s) => task.splits[s]);
  assert.equal(new Set(all.map((e) => e.unit)).size, all.length);
  // Oracle: the rows of the sentiment package itself, by site and position.
  const raw = readSentimentSentences();
  assert.equal(all.length, raw.length);
  const rowsOf = new Map(sentimentSources.map((site) => [site as string, raw.filter((r) => r.source === site)]));
  for (const e of all) {
    const [site, pos] = e.unit.split("#");
    const row = rowsOf.get(site)![Number(pos)];
    assert.deepEqual([row.text.replace(/[\t\n]/g, " "), row.label], [e.text, e.label], e.unit);
  }
  assert.equal(d.majorityBaseline.accuracy, d.classCounts.test[d.majorityBaseline.label] / 300);
});

test("cross-domain sentiment holds out exactly the named site: all of it in test, none of it elsewhere", () => {
  const full = sentimentTask();
  for (const heldOut of sentimentSources) {
    const task = crossDomainSentimentTask(heldOut);
    const site = (unit: string) => unit.split("#")[0];
    assert.ok([...task.splits.train, ...task.splits.valid].every((e) => site(e.unit) !== heldOut));
    const wanted = splits.flatMap((s) => full.splits[s]).filter((e) => site(e.unit) === heldOut).map((e) => e.unit).sort();
    assert.deepEqual(task.splits.test.map((e) => e.unit).sort(), wanted);
    assert.equal(task.splits.train.length, full.splits.train.filter((e) => site(e.unit) !== heldOut).length);
  }
  assert.throws(() => crossDomainSentimentTask("twitter" as never), /heldOut must be one of amazon, imdb, yelp, got "twitter"/);
});

test("Brown genre: 15 genres, splits share no document, counts show the genres the split rule leaves out", () => {
  const task = brownGenreTask();
  const d = describeTask(task);
  assert.equal(task.labelNames.length, 15);
  const docs = splits.map((s) => new Set(task.splits[s].map((e) => e.unit)));
  for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok([...docs[i]].every((u) => !docs[j].has(u)), `${splits[i]} / ${splits[j]}`);
  const sf = task.labelNames.indexOf("science_fiction");
  const humor = task.labelNames.indexOf("humor");
  assert.deepEqual([d.classCounts.valid[sf], d.classCounts.test[sf], d.classCounts.test[humor]], [0, 0, 0]);
  assert.ok(d.classCounts.train.every((n) => n > 0));
  assert.ok(task.splits.test.every((e) => e.text.split(" ").filter(Boolean).length >= 3));
  assert.equal(d.majorityBaseline.labelName, "learned");
  assert.throws(() => brownGenreTask({ minWords: 0 }), /minWords must be a positive integer, got 0/);
});

test("Brown next sentence: exactly balanced, positives are consecutive, negatives cross documents, never a sentence with itself", () => {
  const task = brownNextSentenceTask(new Rng(5));
  const sentencesOf = new Map(splits.flatMap((s) => loadBrownDocuments(s)).map((doc) => [doc.id, doc.sentences]));
  const docs = splits.map((s) => new Set(task.splits[s].flatMap((e) => [e.unitA, e.unitB])));
  for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) assert.ok([...docs[i]].every((u) => !docs[j].has(u)));
  for (const split of splits) {
    const pairs = task.splits[split];
    assert.ok(pairs.length > 1000, `${split}: ${pairs.length}`);
    assert.equal(pairs.filter((e) => e.label === 1).length * 2, pairs.length);
    for (const e of pairs) {
      assert.notEqual(e.textA, e.textB);
      if (e.label === 1) {
        const s = sentencesOf.get(e.unitA)!;
        assert.equal(e.unitA, e.unitB);
        assert.ok(s.some((x, i) => x === e.textA && s[i + 1] === e.textB), e.textA);
      } else assert.notEqual(e.unitA, e.unitB);
    }
  }
  assert.equal(describeTask(task).majorityBaseline.accuracy, 0.5);
});

test("next-sentence pairs are a function of the seed", () => {
  const docs = loadBrownDocuments("valid");
  assert.deepEqual(nextSentencePairs(docs, 3, new Rng(1)), nextSentencePairs(docs, 3, new Rng(1)));
  assert.notDeepEqual(nextSentencePairs(docs, 3, new Rng(1)), nextSentencePairs(docs, 3, new Rng(2)));
  assert.throws(() => nextSentencePairs(docs.slice(0, 1), 3, new Rng(1)), /at least 2 documents to draw negatives from, got 1/);
});

test("downstream tasks by name: each builds the task of that name, a seed fixes the next-sentence pairs, presets name known tasks", () => {
  assert.deepEqual([...downstreamTaskNames].sort(), ["brown-genre", "brown-next-sentence", "sentiment", ...sentimentSources.map((s) => `sentiment-cross-domain-${s}`)].sort());
  for (const name of downstreamTaskNames) assert.equal(downstreamTask(name).name, name);
  const texts = (seed: number) => downstreamTask("brown-next-sentence", seed).splits.test.slice(0, 20).map((e) => "textB" in e ? e.textB : "");
  assert.deepEqual(texts(3), texts(3));
  assert.notDeepEqual(texts(3), texts(4));
  assert.throws(() => downstreamTask("glue-sst2"), /unknown task "glue-sst2"; known: sentiment, sentiment-cross-domain-amazon/);
  assert.throws(() => downstreamTask("sentiment", 1.5), /seed must be an integer, got 1.5/);
  for (const [preset, p] of Object.entries(bertPresets)) {
    for (const t of p.downstreamTasks) assert.ok(downstreamTaskNames.includes(t), `preset ${preset}: downstream task "${t}" is not one of ${downstreamTaskNames.join(", ")}`);
  }
});

test("fixedSubset draws a fixed subset in the original order, all of a small set, and rejects a bad limit", () => {
  const xs = Array.from({ length: 50 }, (_, i) => i * 10);
  const a = fixedSubset(xs, 7, 3);
  assert.equal(a.length, 7);
  assert.deepEqual(a, [...a].sort((x, y) => x - y), "original order");
  assert.equal(new Set(a).size, 7);
  assert.ok(a.every((x) => xs.includes(x)));
  assert.deepEqual(fixedSubset(xs, 7, 3), a, "the seed fixes it");
  assert.notDeepEqual(fixedSubset(xs, 7, 4), a);
  assert.equal(fixedSubset(xs, 50, 3), xs);
  assert.equal(fixedSubset(xs, null, 3), xs);
  assert.throws(() => fixedSubset(xs, 0, 1), /limit must be a positive integer or null, got 0/);
});
