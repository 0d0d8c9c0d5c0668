/**
 * Supernet training methods compared as estimators of standalone quality: HAT's uniform rule,
 * the sandwich rule, MAGIC-T (one gene changed per update), MAGIC-T with MAGIC-A alignment to
 * the best child so far, and a Mixture-of-Supernets trained with the sandwich rule.
 *
 * Methods are compared at equal compute: a budget of subnet training passes (one forward and
 * backward of one subnet on one batch), so the sandwich rule, which trains three subnets per
 * update, gets a third of the updates of the uniform rule. Comparing at equal updates instead
 * would hand the sandwich rule three times the compute (issue #12). Every run reports the passes
 * it made, the forward-only passes it spent besides (MAGIC-A's anchor states and dev scoring)
 * and its wall time. For the secondary equal-updates view, a run can snapshot the inherited
 * losses of chosen subnets part-way, at the update count the sandwich rule stops at.
 */
import type { AnchorRecord } from "../interference/anchor-history";
import { magicA } from "../interference/magic-a";
import { magicTSampler } from "../interference/magic-t";
import type { MosOptions } from "../mos/config";
import { createMos } from "../mos/mos-supernet";
import { largestArch } from "../space/named-archs";
import { makeSampler } from "../space/sampler-registry";
import type { ArchSampler } from "../space/samplers";
import type { Arch } from "../space/types";
import type { SupernetConfig } from "../supernet/config";
import { WeightSharingModel, createSupernet } from "../supernet/supernet";
import type { ScheduleConfig } from "../train/schedule";
import type { MetricRow, TrainerState } from "../train/trainer";
import { trainSupernet } from "../train/train-supernet";
import { restoreOrTrain } from "../train/restore-or-train";
import type { TrainingData } from "../train/train-supernet";
import { InheritedRow, inheritedLosses } from "./rank-agreement";

/** The training methods. */
export const methodNames = ["uniform", "sandwich", "magic-t", "magic-t+a", "mos-sandwich"] as const;
/** A training method. */
export type MethodName = (typeof methodNames)[number];

/** Subnets trained per update by each method (the sandwich rule: largest, smallest, one random). */
export function passesPerUpdate(method: MethodName): number {
  checkMethod(method);
  return method === "sandwich" || method === "mos-sandwich" ? 3 : 1;
}

/** Updates a method gets from a budget of training passes (at least 1). */
export function updatesForPasses(method: MethodName, passes: number): number {
  if (!Number.isInteger(passes) || passes < 1) throw new Error(`updatesForPasses: passes must be an integer >= 1; got ${passes}`);
  return Math.max(1, Math.floor(passes / passesPerUpdate(method)));
}

/** Options shared by every method of a comparison. */
export interface MethodOptions {
  readonly config: SupernetConfig;
  /** Translation or masked-LM data. */
  readonly data: TrainingData;
  /** Label smoothing of the training loss (default the trainer's 0.1; masked LM: 0). */
  readonly labelSmoothing?: number;
  /** Data set the tokenizer belongs to, recorded in a checkpoint (default "bible-en-es"; BERT: "brown"). */
  readonly dataset?: string;
  /** Options of the Mixture-of-Supernets (`mos-sandwich`), default `createMos`'s. */
  readonly mos?: Partial<MosOptions>;
  /** Budget in subnet training passes (equal compute); the method's updates follow from it. */
  readonly passes?: number;
  /** Updates, when not given a pass budget (equal updates). */
  readonly updates?: number;
  /** The schedule, or a function of the method's update count (so each run's schedule ends where it stops). */
  readonly schedule: ScheduleConfig | ((updates: number) => ScheduleConfig);
  readonly seed: number;
  /** MAGIC-A: offer the current child as anchor every N updates (default: updates / 10). */
  readonly anchorEvery?: number;
  /** Evaluate the inherited losses of `archs` after update `step` (the equal-updates view); at or past the end, the final model is used. */
  readonly snapshot?: { readonly step: number; readonly archs: readonly Arch[] };
  /**
   * A checkpoint to restore instead of training, and to save to after training (see
   * `restoreOrTrain`: reused only when code revision, backend, preset, seed, sampler and
   * schedule all match). Used only by methods without a training hook or part-way snapshot.
   */
  readonly checkpoint?: string;
  readonly showProgress?: boolean;
}

/** What a run cost. */
export interface MethodCompute {
  readonly updates: number;
  /** Subnet forward+backward passes (counted from the training rows, or from a restored checkpoint's updates). */
  readonly trainPasses: number;
  /** Forward-only passes besides training: MAGIC-A's anchor states (one per update) and its dev scoring. */
  readonly forwardPasses: number;
  /** Wall time in seconds of the training (for a restored model, as its checkpoint recorded it; null when the checkpoint predates that record). */
  readonly seconds: number | null;
}

/** A trained supernet with its training rows and, for MAGIC-A, the anchor history. */
export interface TrainedMethod {
  readonly method: MethodName;
  readonly model: WeightSharingModel;
  /** Training rows (empty when restored from a checkpoint). */
  readonly rows: MetricRow[];
  readonly state: TrainerState | null;
  readonly compute: MethodCompute;
  /** Where the model came from: trained here, or the checkpoint it was restored from. */
  readonly source: string;
  /** MAGIC-A's anchor record: the initial anchor, then every offer (summarise with `anchorSummary`). */
  readonly anchors?: readonly AnchorRecord[];
  /** Inherited losses at the snapshot step, when one was asked for. */
  readonly snapshot?: { readonly step: number; readonly rows: readonly InheritedRow[] };
}

function checkMethod(method: string): asserts method is MethodName {
  if (!(methodNames as readonly string[]).includes(method)) throw new Error(`unknown method "${method}"; methods: ${methodNames.join(", ")}`);
}

/** Trains one supernet with `method` for a pass budget (equal compute) or a number of updates. */
export async function trainWithMethod(method: MethodName, options: MethodOptions): Promise<TrainedMethod> {
  checkMethod(method);
  if ((options.passes === undefined) === (options.updates === undefined)) throw new Error("trainWithMethod: give exactly one of passes (equal compute) and updates (equal updates)");
  const updates = options.passes !== undefined ? updatesForPasses(method, options.passes) : (options.updates as number);
  if (!Number.isInteger(updates) || updates < 1) throw new Error(`trainWithMethod: updates must be an integer >= 1; got ${updates}`);
  const schedule = typeof options.schedule === "function" ? options.schedule(updates) : options.schedule;
  const space = options.config.space;
  const create = (): WeightSharingModel => (method === "mos-sandwich" ? createMos(options.config, options.mos ?? {}, options.seed) : createSupernet(options.config, options.seed));
  let sampler: ArchSampler;
  if (method === "magic-t" || method === "magic-t+a") sampler = magicTSampler(space);
  else sampler = makeSampler(method === "uniform" ? "uniform" : "sandwich", space);
  const snapshotStep = options.snapshot ? Math.min(options.snapshot.step, updates) : null;
  const hook = method === "magic-t+a" ? magicA(largestArch(space)) : undefined;

  if (options.checkpoint && !hook && (snapshotStep === null || snapshotStep === updates)) {
    const studied = await restoreOrTrain(options.checkpoint, create, options.data, { updates, schedule, seed: options.seed, labelSmoothing: options.labelSmoothing, sampler, label: method, dataset: options.dataset, showProgress: options.showProgress });
    const snapshot = options.snapshot ? { step: updates, rows: await inheritedLosses(studied.model, options.snapshot.archs, options.data.validBatches) } : undefined;
    return {
      method,
      model: studied.model,
      rows: [],
      state: null,
      // The sampler is fixed-size, so a finished run of `updates` updates made exactly this many passes.
      compute: { updates, trainPasses: updates * passesPerUpdate(method), forwardPasses: 0, seconds: studied.trainingSeconds },
      source: studied.source,
      snapshot,
    };
  }

  const model = create();
  const every = options.anchorEvery ?? Math.max(1, Math.floor(updates / 10));
  let snapshot: TrainedMethod["snapshot"];
  const takeSnapshot = async (step: number) => {
    if (options.snapshot && snapshot === undefined && step === snapshotStep) snapshot = { step, rows: await inheritedLosses(model, options.snapshot.archs, options.data.validBatches) };
  };
  const started = Date.now();
  const { rows, state } = await trainSupernet(model, options.data, {
    sampler,
    updates,
    schedule,
    seed: options.seed,
    labelSmoothing: options.labelSmoothing,
    label: method,
    hook,
    showProgress: options.showProgress,
    // Training waits for this before its next update, so offers and snapshots see the weights of this step.
    onStep: async (result, st) => {
      if (hook && st.step % every === 0) await hook.offerAnchor(model, result.losses[0].arch, options.data.validBatches.slice(0, 2), st.step);
      await takeSnapshot(st.step);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  await takeSnapshot(updates);
  // MAGIC-A: one anchor forward per update, and per offer the candidate and (unless it is the anchor) the anchor on 2 dev batches.
  const offers = (hook?.history ?? []).filter((r) => r.kind === "offer");
  const devBatches = Math.min(2, options.data.validBatches.length);
  const forwardPasses = hook ? updates + offers.reduce((s, r) => s + devBatches * (r.candidate === r.anchor ? 1 : 2), 0) : 0;
  const trainPasses = rows.filter((r) => r.metric === "train_loss").length;
  return { method, model, rows, state, compute: { updates, trainPasses, forwardPasses, seconds }, source: `trained here (${updates} updates, ${sampler.name} sampling)`, anchors: hook?.history, snapshot };
}
