import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defineSpace, uniformSampler } from "../../src/space/index";
import { createSupernet, makeSupernetConfig } from "../../src/supernet/index";
import { createTrainerState, decodeCheckpoint, encodeCheckpoint, makeTrainConfig, readCheckpoint, restoreCheckpoint, saveCheckpoint, trainStep } from "../../src/train/index";
import type { Provenance } from "../../src/util/provenance";
import { microConfig, microSpace, randomBatch } from "../helpers/micro";
import { useBackend } from "../helpers/backend";

useBackend();

const config = makeTrainConfig({ schedule: { kind: "cosine", lr: 1e-2, warmupInitLr: 1e-3, warmupUpdates: 2, maxUpdates: 12, minLr: 1e-4 }, seed: 7 });
const tokenizer = { dataset: "test", vocabSize: 24 };
const batches = Array.from({ length: 12 }, (_, i) => randomBatch(100 + i));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ckpt-"));

async function run(steps: number[], model = createSupernet(microConfig(0.1), 1), state = createTrainerState(config)) {
  const sampler = uniformSampler(microSpace);
  const losses: number[] = [];
  for (const i of steps) losses.push((await trainStep(model, state, config, sampler, batches[i])).losses[0].loss);
  return { model, state, losses };
}

test("resuming from a checkpoint gives the same next losses as an uninterrupted run", async () => {
  const straight = await run([0, 1, 2, 3, 4, 5, 6, 7]);
  const first = await run([0, 1, 2, 3]);
  const file = path.join(dir, "resume.ckpt");
  await saveCheckpoint(file, first.model, first.state, config, tokenizer);
  const model = createSupernet(microConfig(0.1), 99); // different init: everything must come from the file
  const state = createTrainerState(config);
  const meta = restoreCheckpoint(file, model, state);
  assert.equal(meta.step, 4);
  const resumed = await run([4, 5, 6, 7], model, state);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(resumed.losses[i] - straight.losses[4 + i]) < 1e-5, `step ${4 + i}: ${resumed.losses[i]} vs ${straight.losses[4 + i]}`);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), [], "no temporary files are left");
});

test("a truncated, corrupted or mismatched checkpoint is a clear error and leaves the model untouched", async () => {
  const { model, state } = await run([0, 1]);
  const file = path.join(dir, "good.ckpt");
  await saveCheckpoint(file, model, state, config, tokenizer);
  const bytes = fs.readFileSync(file);
  const target = createSupernet(microConfig(0.1), 5);
  const targetState = createTrainerState(config);
  const snapshot = target.params["enc.0.fc1.w"].dataSync().slice();
  const attempt = (name: string, content: Buffer) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return () => restoreCheckpoint(f, target, targetState);
  };
  assert.throws(attempt("truncated.ckpt", bytes.subarray(0, bytes.length - 100)), /truncated/);
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 10] ^= 0xff;
  assert.throws(attempt("flipped.ckpt", flipped), /checksum mismatch/);
  assert.throws(attempt("text.ckpt", Buffer.from("hello")), /not a supernet-lab checkpoint/);
  assert.throws(() => restoreCheckpoint(path.join(dir, "missing.ckpt"), target, targetState), /does not exist/);
  const otherSpace = defineSpace({ ...microSpace, name: "micro-wide", encoder: { ...microSpace.encoder, ffnDim: [6, 14] } });
  const other = createSupernet(makeSupernetConfig(otherSpace, 24, { dropout: 0.1 }), 1);
  assert.throws(() => restoreCheckpoint(file, other, createTrainerState(config)), /another supernet config \(space micro/);
  assert.deepEqual(target.params["enc.0.fc1.w"].dataSync(), snapshot, "failed loads changed nothing");
});

test("a checkpoint records its provenance, seed and sampler, and one saved before they were recorded still restores", async () => {
  const { model, state } = await run([0]);
  const file = path.join(dir, "provenance.ckpt");
  const provenance: Provenance = { revision: "abc1234".padEnd(40, "0"), dirty: false, backend: "wasm", preset: "tiny", node: process.version, createdAt: "2024-01-01T00:00:00.000Z" };
  await saveCheckpoint(file, model, state, config, tokenizer, { sampler: "uniform", provenance });
  const { meta } = readCheckpoint(file);
  assert.deepEqual(meta.provenance, provenance);
  assert.equal(meta.seed, 7);
  assert.equal(meta.sampler, "uniform");
  await saveCheckpoint(file, model, state, config, tokenizer, { preset: "small" });
  const defaults = readCheckpoint(file).meta;
  assert.equal(defaults.provenance?.preset, "small", "the preset given is recorded");
  assert.equal(defaults.sampler, null, "no sampler given: none recorded");
  // An older file: the same header without the new fields.
  const decoded = decodeCheckpoint(fs.readFileSync(file), file);
  const { provenance: _p, seed: _s, sampler: _r, ...older } = decoded.meta as Record<string, unknown>;
  const olderFile = path.join(dir, "older.ckpt");
  fs.writeFileSync(olderFile, encodeCheckpoint(older, [...decoded.tensors.values()]));
  const target = createSupernet(microConfig(0.1), 5);
  const restored = restoreCheckpoint(olderFile, target, createTrainerState(config));
  assert.equal(restored.provenance, undefined);
  assert.deepEqual(target.params["enc.0.fc1.w"].dataSync(), model.params["enc.0.fc1.w"].dataSync());
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));
