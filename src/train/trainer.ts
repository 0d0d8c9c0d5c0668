/**
 * The supernet trainer: per update, an arch sampler picks the archs (one for HAT's uniform rule,
 * largest + smallest + random for the sandwich rule), their gradients on the same batch are
 * summed, clipped, and applied in one Adam step. Metrics come out as tidy rows.
 */
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../data/batching";
import type { ArchSampler } from "../space/samplers";
import { archKey } from "../space/arch-key";
import type { Arch } from "../space/types";
import { BatchTensors, batchTensors } from "../supernet/forward";
import { balanceFromStats } from "../moe/config";
import type { MoeLayerRecord } from "../supernet/layers";
import { WeightSharingModel, archLoss } from "../supernet/supernet";
import { Rng } from "../util/rng";
import { AdamConfig, AdamState, adamDefaults, adamUpdate, createAdamState } from "./adam";
import { Gradients, addGradients, clipByGlobalNorm, disposeGradients, gradientsOf } from "./gradients";
import { ScheduleConfig, learningRate, validateSchedule } from "./schedule";

/** Training hyper-parameters. */
export interface TrainConfig {
  readonly schedule: ScheduleConfig;
  readonly adam: AdamConfig;
  /** Max global gradient norm; 0 turns clipping off. */
  readonly clipNorm: number;
  readonly labelSmoothing: number;
  /** Seed of the sampler, dropout and batch order. */
  readonly seed: number;
}

/** Sensible defaults around a schedule. */
export function makeTrainConfig(overrides: Partial<TrainConfig> & { schedule: ScheduleConfig }): TrainConfig {
  const config: TrainConfig = { adam: adamDefaults, clipNorm: 1, labelSmoothing: 0.1, seed: 1, ...overrides };
  validateSchedule(config.schedule);
  if (!(config.labelSmoothing >= 0 && config.labelSmoothing < 1)) throw new Error(`train config: labelSmoothing must be in [0, 1); got ${config.labelSmoothing}`);
  if (!(config.clipNorm >= 0)) throw new Error(`train config: clipNorm must be >= 0; got ${config.clipNorm}`);
  return config;
}

/** Mutable training state (what a checkpoint must hold besides the weights). */
export interface TrainerState {
  step: number;
  readonly adam: AdamState;
  rng: Rng;
}

/** A fresh state for a config. */
export function createTrainerState(config: TrainConfig): TrainerState {
  return { step: 0, adam: createAdamState(), rng: new Rng(config.seed) };
}

/** What a mixture-of-experts layer's router did for one arch in one update (host numbers). */
export interface RoutingSummary {
  readonly arch: Arch;
  readonly layer: string;
  readonly experts: number;
  readonly balance: number;
  readonly droppedFraction: number;
  readonly entropy: number;
}

/** What one update did. */
export interface StepResult {
  readonly step: number;
  readonly lr: number;
  readonly losses: readonly { readonly arch: Arch; readonly loss: number }[];
  readonly gradNorm: number;
  readonly targetTokens: number;
  /** Routed (multi-expert) layers of each arch; empty for dense models. */
  readonly routing: readonly RoutingSummary[];
}

/** Hooks that let variants (MAGIC-A alignment) add to an arch's loss. */
export interface LossHook {
  /** Called once per update before any gradient, e.g. to compute constants such as an anchor's states. */
  prepare?(model: WeightSharingModel, batch: BatchTensors): void;
  /** Extra loss for `arch` on this batch, added before differentiation; `trace` holds the arch's operator inputs/outputs. */
  extraLoss?(model: WeightSharingModel, arch: Arch, batch: BatchTensors, trace: Map<string, tf.Tensor>): tf.Scalar | null;
  /** Called once per update after the optimizer step, to free what `prepare` made. */
  release?(): void;
}

/** One update on one batch: sample archs, accumulate their gradients, step Adam; the numbers are read once, after the update is queued. */
export async function trainStep(model: WeightSharingModel, state: TrainerState, config: TrainConfig, sampler: ArchSampler, batch: TranslationBatch, hook: LossHook = {}): Promise<StepResult> {
  const archs = sampler.next(state.rng);
  const lr = learningRate(config.schedule, state.step);
  const tensors = batchTensors(batch);
  const grads: Gradients = {};
  const lossTensors: tf.Scalar[] = [];
  const routed: { arch: Arch; records: MoeLayerRecord[] }[] = [];
  let norm: tf.Scalar | null = null;
  try {
    hook.prepare?.(model, tensors);
    for (const arch of archs) {
      const dropoutRng = state.rng.fork();
      const records: MoeLayerRecord[] = [];
      const { value, grads: g } = gradientsOf(model.params, () => {
        const trace = hook.extraLoss ? new Map<string, tf.Tensor>() : undefined;
        const base = archLoss(model, arch, tensors, dropoutRng, config.labelSmoothing, trace, records);
        const extra = trace ? hook.extraLoss?.(model, arch, tensors, trace) : null;
        return extra ? (tf.add(base, extra) as tf.Scalar) : base;
      });
      addGradients(grads, g);
      lossTensors.push(value);
      routed.push({ arch, records: records.filter((x) => x.experts > 1) });
    }
    norm = clipByGlobalNorm(grads, config.clipNorm);
    adamUpdate(model.params, grads, state.adam, lr, config.adam);
    state.step += 1;
    const values = await Promise.all([...lossTensors, norm].map(async (t) => (await t.data())[0]));
    const losses = archs.map((arch, i) => ({ arch, loss: values[i] }));
    const routing: RoutingSummary[] = [];
    for (const { arch, records } of routed) {
      for (const r of records) {
        const stats = await r.stats;
        const dropped = stats.dropped.reduce((a, b) => a + b, 0) / Math.max(1, stats.assigned.reduce((a, b) => a + b, 0));
        routing.push({ arch, layer: r.layer, experts: r.experts, balance: balanceFromStats(stats), droppedFraction: dropped, entropy: stats.entropy });
      }
    }
    return { step: state.step, lr, losses, gradNorm: values[archs.length], targetTokens: batch.numTargetTokens, routing };
  } finally {
    for (const t of lossTensors) t.dispose();
    norm?.dispose();
    hook.release?.();
    disposeGradients(grads);
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/** A tidy metric row; `layer` names the mixture-of-experts layer of routing metrics. */
export interface MetricRow {
  readonly step: number;
  readonly arch: string;
  readonly metric: string;
  readonly value: number;
  readonly layer?: string;
}

/** Rows for one update: each arch's training loss, lr, gradient norm, and per routed layer its balance loss, dropped fraction and router entropy. */
export function stepRows(result: StepResult): MetricRow[] {
  const rows: MetricRow[] = result.losses.map((l) => ({ step: result.step, arch: archKey(l.arch), metric: "train_loss", value: l.loss }));
  rows.push({ step: result.step, arch: "", metric: "lr", value: result.lr }, { step: result.step, arch: "", metric: "grad_norm", value: result.gradNorm });
  for (const r of result.routing) {
    const base = { step: result.step, arch: archKey(r.arch), layer: r.layer };
    rows.push({ ...base, metric: "moe_balance", value: r.balance }, { ...base, metric: "moe_dropped", value: r.droppedFraction }, { ...base, metric: "moe_entropy", value: r.entropy });
  }
  return rows;
}
