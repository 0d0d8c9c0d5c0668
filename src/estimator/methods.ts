/**
 * Supernet training methods compared as estimators of standalone quality: HAT's uniform rule,
 * the sandwich rule, MAGIC-T (one gene changed per update), MAGIC-T with MAGIC-A alignment to
 * the best child so far, and a Mixture-of-Supernets trained with the sandwich rule. Each gets
 * the same data, schedule and number of updates.
 */
import type { TranslationData } from "../data/translation-data";
import type { AnchorRecord } from "../interference/anchor-history";
import { magicA } from "../interference/magic-a";
import { magicTSampler } from "../interference/magic-t";
import { createMos } from "../mos/mos-supernet";
import { largestArch } from "../space/named-archs";
import { makeSampler } from "../space/sampler-registry";
import type { ArchSampler } from "../space/samplers";
import type { SupernetConfig } from "../supernet/config";
import { WeightSharingModel, createSupernet } from "../supernet/supernet";
import type { ScheduleConfig } from "../train/schedule";
import type { MetricRow, TrainerState } from "../train/trainer";
import { trainSupernet } from "../train/train-supernet";

/** The training methods. */
export const methodNames = ["uniform", "sandwich", "magic-t", "magic-t+a", "mos-sandwich"] as const;
/** A training method. */
export type MethodName = (typeof methodNames)[number];

/** Options shared by every method of a comparison. */
export interface MethodOptions {
  readonly config: SupernetConfig;
  readonly data: TranslationData;
  readonly updates: number;
  readonly schedule: ScheduleConfig;
  readonly seed: number;
  /** MAGIC-A: offer the current child as anchor every N updates (default: updates / 10). */
  readonly anchorEvery?: number;
  readonly showProgress?: boolean;
}

/** A trained supernet with its training rows and, for MAGIC-A, the anchor history. */
export interface TrainedMethod {
  readonly method: MethodName;
  readonly model: WeightSharingModel;
  readonly rows: MetricRow[];
  readonly state: TrainerState;
  /** MAGIC-A's anchor record: the initial anchor, then every offer (summarise with `anchorSummary`). */
  readonly anchors?: readonly AnchorRecord[];
}

/** Trains one supernet with `method`. */
export async function trainWithMethod(method: MethodName, options: MethodOptions): Promise<TrainedMethod> {
  if (!(methodNames as readonly string[]).includes(method)) throw new Error(`unknown method "${method}"; methods: ${methodNames.join(", ")}`);
  const space = options.config.space;
  const model = method === "mos-sandwich" ? createMos(options.config, {}, options.seed) : createSupernet(options.config, options.seed);
  let sampler: ArchSampler;
  if (method === "magic-t" || method === "magic-t+a") sampler = magicTSampler(space);
  else sampler = makeSampler(method === "uniform" ? "uniform" : "sandwich", space);
  const hook = method === "magic-t+a" ? magicA(largestArch(space)) : undefined;
  const every = options.anchorEvery ?? Math.max(1, Math.floor(options.updates / 10));
  const { rows, state } = await trainSupernet(model, options.data, {
    sampler,
    updates: options.updates,
    schedule: options.schedule,
    seed: options.seed,
    label: method,
    hook,
    showProgress: options.showProgress,
    onStep: hook
      ? (result, st) => {
          if (st.step % every === 0) hook.offerAnchor(model, result.losses[0].arch, options.data.validBatches.slice(0, 2), st.step);
        }
      : undefined,
  });
  return { method, model, rows, state, anchors: hook?.history };
}
