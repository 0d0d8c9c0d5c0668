/**
 * Hardware budgets of a search: a cost of an arch (parameters, FLOPs, or latency predicted for
 * a device) and a limit. HAT checks the budget by rejection, so a budget is a predicate.
 */
import { archFlops } from "../space/flops";
import { archParams } from "../space/params";
import type { Arch, SearchSpace } from "../space/types";

/** A named cost with a limit. */
export interface Budget {
  /** What is limited, for tables, e.g. "latency (ms)". */
  readonly name: string;
  readonly cost: (arch: Arch) => number;
  readonly limit: number;
}

/** The budget as a feasibility test for `evolutionarySearch`. */
export function withinBudget(budget: Budget): (arch: Arch) => boolean {
  if (!(Number.isFinite(budget.limit) && budget.limit > 0)) throw new Error(`budget "${budget.name}": limit = ${budget.limit} must be a positive number`);
  return (arch) => budget.cost(arch) <= budget.limit;
}

/** Parameters without embeddings (HAT's convention), as a budget cost. */
export function paramsCost(space: SearchSpace, vocabSize: number): (arch: Arch) => number {
  return (arch) => archParams(space, arch, vocabSize, { includeEmbeddings: false });
}

/** FLOPs of one sentence pair of the given lengths, as a budget cost. */
export function flopsCost(space: SearchSpace, options: { srcLen: number; tgtLen: number; vocabSize?: number; includeEmbeddings?: boolean }): (arch: Arch) => number {
  return (arch) => archFlops(space, arch, options);
}
