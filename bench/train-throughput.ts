/**
 * Training throughput of one subnet with the project's own trainer: a fresh supernet, a fixed
 * sampler of that one arch, `trainStep` on real batches. Real target tokens (padding excluded) per
 * second of wall time, after a few warm-up steps; optionally one more step under `tf.profile`
 * to see which kernels dominate.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../src/data/batching";
import { fixedSampler } from "../src/space/index";
import type { Arch, SearchSpace } from "../src/space/index";
import { archLoss, batchTensors, createSupernet, disposeParams, makeSupernetConfig, scaledRate } from "../src/supernet/index";
import type { Supernet } from "../src/supernet/index";
import { createTrainerState, disposeAdamState, makeTrainConfig, trainStep } from "../src/train/index";
import type { TrainConfig } from "../src/train/index";

/** Options of one throughput measurement. */
export interface ThroughputOptions {
  readonly label: string;
  readonly space: SearchSpace;
  readonly arch: Arch;
  readonly vocabSize: number;
  /** Warm-up batches first, then the timed ones. */
  readonly batches: readonly TranslationBatch[];
  readonly warmupSteps: number;
  /** Most timed steps. */
  readonly steps: number;
  /** Stop timing after this many seconds (at least `minSteps` steps are still timed). */
  readonly budgetSeconds: number;
  readonly minSteps: number;
  readonly seed: number;
  readonly lr: number;
  /** Profile one extra step (kernels by time). */
  readonly profile: boolean;
  /** Called with the fresh supernet before training (e.g. to export its initial weights). */
  readonly onModel?: (model: Supernet) => void | Promise<void>;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** Time spent in one kind of kernel during a profiled step. */
export interface KernelTime {
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
}

/** A profiled step: wall time, time inside kernels, and the kernels by total time. */
export interface StepProfile {
  readonly wallMs: number;
  /** Time inside registered kernels; the rest is JavaScript between them (and tfjs bookkeeping). */
  readonly kernelMs: number;
  readonly kernels: readonly KernelTime[];
  /** The costliest (kernel, input shapes) pairs (registered kernels only, no custom-gradient scopes). */
  readonly topCalls: readonly { readonly kernel: string; readonly shapes: string; readonly calls: number; readonly ms: number }[];
}

/** What one measurement found. */
export interface ThroughputResult {
  readonly label: string;
  readonly steps: number;
  readonly targetTokens: number;
  readonly seconds: number;
  readonly tokensPerSec: number;
  readonly msPerStep: number;
  readonly stepMs: readonly number[];
  readonly warmupMs: readonly number[];
  /** Eval-mode loss on the first batch at initialisation (the cross-framework check). */
  readonly initEvalLoss: number;
  readonly meanTrainLoss: number;
  readonly stoppedByBudget: boolean;
  readonly profile?: StepProfile;
}

/** The dropout rates the supernet uses for an arch (HAT scales the main rate with width). */
export function archDropoutRates(space: SearchSpace, arch: Arch, rates: { dropout: number; attentionDropout: number; activationDropout: number }) {
  return {
    encoder: scaledRate(rates.dropout, arch.encoder.embedDim, Math.max(...space.encoder.embedDim)),
    decoder: arch.decoder && space.decoder ? scaledRate(rates.dropout, arch.decoder.embedDim, Math.max(...space.decoder.embedDim)) : 0,
    attentionDropout: rates.attentionDropout,
    activationDropout: rates.activationDropout,
  };
}

/** The trainer config of the benchmark: constant learning rate, the project's defaults otherwise. */
export function benchTrainConfig(lr: number, seed: number): TrainConfig {
  return makeTrainConfig({ schedule: { kind: "constant", lr, warmupInitLr: lr, warmupUpdates: 0, maxUpdates: 1_000_000, minLr: 0 }, seed });
}

async function initEvalLoss(model: Supernet, arch: Arch, batch: TranslationBatch, labelSmoothing: number): Promise<number> {
  const loss = tf.tidy(() => archLoss(model, arch, batchTensors(batch), null, labelSmoothing));
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}

async function profileStep(run: () => Promise<unknown>): Promise<StepProfile> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await run();
    return [];
  });
  const wallMs = performance.now() - t0;
  const byKernel = new Map<string, KernelTime>();
  const byCall = new Map<string, { kernel: string; shapes: string; calls: number; ms: number }>();
  let kernelMs = 0;
  const backendName = tf.getBackend();
  for (const k of info.kernels) {
    // Entries that are not registered kernels (custom-gradient scopes such as "unnamed scope",
    // "forward") wrap kernels that are listed too: counting them would count time twice.
    if (!tf.getKernel(k.name, backendName)) continue;
    const ms = Number(k.kernelTimeMs) || 0;
    kernelMs += ms;
    const prev = byKernel.get(k.name) ?? { kernel: k.name, calls: 0, ms: 0 };
    byKernel.set(k.name, { kernel: k.name, calls: prev.calls + 1, ms: prev.ms + ms });
    const shapes = k.inputShapes.map((s) => `[${s}]`).join(" ");
    const key = `${k.name} ${shapes}`;
    const call = byCall.get(key) ?? { kernel: k.name, shapes, calls: 0, ms: 0 };
    call.calls += 1;
    call.ms += ms;
    byCall.set(key, call);
  }
  const kernels = [...byKernel.values()].sort((a, b) => b.ms - a.ms);
  const topCalls = [...byCall.values()].sort((a, b) => b.ms - a.ms).slice(0, 12);
  return { wallMs, kernelMs, kernels, topCalls };
}

/** Trains `arch` for warm-up + timed steps and reports tokens/s; disposes everything it made. */
export async function measureTrainingThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  const log = o.log ?? (() => undefined);
  if (o.batches.length < o.warmupSteps + o.minSteps) throw new Error(`bench: ${o.label} needs ${o.warmupSteps + o.minSteps} batches, got ${o.batches.length}`);
  const config = makeSupernetConfig(o.space, o.vocabSize);
  const model = createSupernet(config, o.seed);
  const trainConfig = benchTrainConfig(o.lr, o.seed);
  const state = createTrainerState(trainConfig);
  const sampler = fixedSampler([o.arch], o.space);
  const tensorsBefore = tf.memory().numTensors;
  try {
    await o.onModel?.(model);
    const initLoss = await initEvalLoss(model, o.arch, o.batches[0], trainConfig.labelSmoothing);
    const warmupMs: number[] = [];
    for (let i = 0; i < o.warmupSteps; i++) {
      const t0 = performance.now();
      await trainStep(model, state, trainConfig, sampler, o.batches[i]);
      warmupMs.push(performance.now() - t0);
      log(`  ${o.label}: warm-up step ${i + 1}/${o.warmupSteps} ${warmupMs[i].toFixed(0)} ms`);
    }
    const stepMs: number[] = [];
    const losses: number[] = [];
    let tokens = 0;
    let elapsed = 0;
    let stoppedByBudget = false;
    const maxSteps = Math.min(o.steps, o.batches.length - o.warmupSteps);
    for (let i = 0; i < maxSteps; i++) {
      if (i >= o.minSteps && elapsed / 1000 > o.budgetSeconds) {
        stoppedByBudget = true;
        break;
      }
      const batch = o.batches[o.warmupSteps + i];
      const t0 = performance.now();
      const result = await trainStep(model, state, trainConfig, sampler, batch);
      const ms = performance.now() - t0;
      stepMs.push(ms);
      elapsed += ms;
      tokens += result.targetTokens;
      losses.push(result.losses[0].loss);
      log(`  ${o.label}: step ${i + 1}/${maxSteps} ${ms.toFixed(0)} ms, ${result.targetTokens} target tokens, loss ${result.losses[0].loss.toFixed(3)}`);
    }
    const profile = o.profile ? await profileStep(() => trainStep(model, state, trainConfig, sampler, o.batches[o.warmupSteps])) : undefined;
    const seconds = elapsed / 1000;
    return {
      label: o.label,
      steps: stepMs.length,
      targetTokens: tokens,
      seconds,
      tokensPerSec: tokens / seconds,
      msPerStep: elapsed / stepMs.length,
      stepMs,
      warmupMs,
      initEvalLoss: initLoss,
      meanTrainLoss: losses.reduce((a, b) => a + b, 0) / losses.length,
      stoppedByBudget,
      profile,
    };
  } finally {
    disposeAdamState(state.adam);
    disposeParams(model.params);
    const leaked = tf.memory().numTensors - tensorsBefore + Object.keys(model.params).length;
    if (leaked > 0) log(`  ${o.label}: note: ${leaked} tensors left after the run`);
  }
}
