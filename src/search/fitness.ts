/**
 * The search's fitness in HAT: validation loss of a subnet with weights inherited from the
 * supernet, on a fixed set of batches so that every candidate is scored on the same data.
 */
import type { TranslationBatch } from "../data/batching";
import { evaluateLoss } from "../eval/validation-loss";
import type { Arch } from "../space/types";
import type { WeightSharingModel } from "../supernet/supernet";

/** Lower-is-better fitness: inherited validation loss (nats/token) on `batches`. */
export function inheritedLossFitness(model: WeightSharingModel, batches: readonly TranslationBatch[]): (archs: readonly Arch[]) => Promise<number[]> {
  if (batches.length === 0) throw new Error("inheritedLossFitness: batches is empty; pass at least one validation batch");
  return async (archs) => {
    const losses: number[] = [];
    // One arch at a time: only one arch's plain weights exist at once.
    for (const arch of archs) losses.push((await evaluateLoss(model, arch, batches)).loss);
    return losses;
  };
}
