/**
 * Hardware budgets of a search: a cost of an arch (parameters, FLOPs, or latency predicted for
 * a device) and a limit. HAT checks the budget by rejection, so a budget is a predicate.
 */
import { archFlops } from "../space/flops";
import { archParams } from "../space/params";
import type { Arch, SearchSpace } from "../space/types";

/** A named cost with a limit; the cost is asynchronous when it is read back from the device (a latency predictor). */
export interface Budget<Cost extends number | Promise<number> = number> {
  /** What is limited, for tables, e.g. "latency (ms)". */
  readonly name: string;
  readonly cost: (arch: Arch) => Cost;
  readonly limit: number;
}

/** The budget as a feasibility test for `evolutionarySearch` (asynchronous exactly when the cost is). */
export function withinBudget(budget: Budget<number>): (arch: Arch) => boolean;
export function withinBudget(budget: Budget<Promise<number>>): (arch: Arch) => Promise<boolean>;
export function withinBudget(budget: Budget<number | Promise<number>>): (arch: Arch) => boolean | Promise<boolean> {
  if (!(Number.isFinite(budget.limit) && budget.limit > 0)) throw new Error(`budget "${budget.name}": limit = ${budget.limit} must be a positive number`);
  return (arch) => {
    const cost = budget.cost(arch);
    return typeof cost === "number" ? cost <= budget.limit : cost.then((c) => c <= budget.limit);
  };
}

/** Parameters without embeddings (HAT's convention), as a budget cost. */
export function paramsCost(space: SearchSpace, vocabSize: number): (arch: Arch) => number {
  return (arch) => archParams(space, arch, vocabSize, { includeEmbeddings: false });
}

/** FLOPs of one sentence pair of the given lengths, as a budget cost. */
export function flopsCost(space: SearchSpace, options: { srcLen: number; tgtLen: number; vocabSize?: number; includeEmbeddings?: boolean }): (arch: Arch) => number {
  return (arch) => archFlops(space, arch, options);
}
