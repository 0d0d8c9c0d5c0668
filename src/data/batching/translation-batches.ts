/**
 * The batches of one epoch: the planned groups in a seeded order that differs from epoch to
 * epoch (the groups themselves stay fixed, as in fairseq), each collated into padded buffers.
 * Evaluation can ask for the planned order, shortest batches first, with `shuffle: false`.
 */
import { ParallelExample, TranslationBatch, collateTranslation } from "./collate-translation";
import { TranslationBatchPlan } from "./plan-translation-batches";
import { seedStream } from "./seed-streams";

/** Options of `translationBatches`. */
export interface EpochOptions {
  /** Epoch number, a non-negative integer; each one gives its own batch order. */
  readonly epoch: number;
  /** Shuffle the batch order; false keeps the planned order (by length). Default true. */
  readonly shuffle?: boolean;
}

/** The padded batches of one epoch, in an order fixed by the plan's seed and the epoch. */
export function translationBatches(
  examples: readonly ParallelExample[],
  plan: TranslationBatchPlan,
  options: EpochOptions,
): TranslationBatch[] {
  const { epoch, shuffle = true } = options;
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`translationBatches: epoch must be a non-negative integer, got ${epoch}`);
  if (examples.length !== plan.numExamples) {
    throw new Error(`translationBatches: the plan was made for ${plan.numExamples} examples, got ${examples.length}`);
  }
  const groups = shuffle ? seedStream(plan.options.seed, epoch + 1).shuffle(plan.batches) : plan.batches;
  return groups.map((indices) => collateTranslation(examples, indices, plan.options.maxLen));
}
