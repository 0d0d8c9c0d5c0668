/**
 * Random search under the same budget and objective as `evolutionarySearch`: the baseline any
 * search method has to beat at an equal number of scored archs.
 */
import { archKey } from "../space/arch-key";
import { sampleArch } from "../space/sample-arch";
import type { Arch, SearchSpace } from "../space/types";
import { Rng } from "../util/rng";
import type { Candidate, SearchObjective } from "./evolution";

/** Best-so-far after each scored arch. */
export interface RandomSearchRow {
  readonly evaluated: number;
  readonly bestFitness: number;
}

/** Scores `evaluations` distinct feasible random archs; returns the best and the best-so-far curve. */
export async function randomSearch(space: SearchSpace, objective: SearchObjective, options: { evaluations: number; seed: number; maxTries?: number }): Promise<{ best: Candidate; history: RandomSearchRow[]; evaluated: Candidate[] }> {
  const { evaluations, seed } = options;
  if (!Number.isInteger(evaluations) || evaluations < 1) throw new Error(`randomSearch: evaluations = ${evaluations} must be an integer >= 1`);
  const maxTries = options.maxTries ?? 100 * evaluations;
  const rng = new Rng(seed);
  const feasible = objective.feasible ?? (() => true);
  const archs: Arch[] = [];
  const seen = new Set<string>();
  // Distinct archs, like the evolution's count of scored archs; a tiny space may run out.
  for (let t = 0; t < maxTries && archs.length < evaluations; t++) {
    const a = sampleArch(space, rng);
    const key = archKey(a);
    if (seen.has(key) || !(await feasible(a))) continue;
    seen.add(key);
    archs.push(a);
  }
  if (archs.length === 0) throw new Error(`randomSearch: no feasible arch in ${maxTries} draws`);
  const values = await objective.fitness(archs);
  const evaluated = archs.map((arch, i) => ({ arch, key: archKey(arch), fitness: values[i] }));
  const history: RandomSearchRow[] = [];
  let best = evaluated[0];
  evaluated.forEach((c, i) => {
    if (c.fitness < best.fitness) best = c;
    history.push({ evaluated: i + 1, bestFitness: best.fitness });
  });
  return { best, history, evaluated };
}
