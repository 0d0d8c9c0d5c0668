/**
 * Searches compared at equal cost: the same evolution (options, seed, budget) run on several
 * objectives, e.g. a plain and a Mixture-of-Supernets supernet, each stopped at the same number
 * of distinct scored archs, the fewest any of them reached on its own. Evolution is deterministic
 * in its seed, so a capped run is the first part of the uncapped one; fitness is memoised per
 * arch, so re-running to the cap costs no extra scoring.
 */
import { archKey } from "../space/arch-key";
import type { Arch, SearchSpace } from "../space/types";
import { EvolutionOptions, EvolutionResult, SearchObjective, evolutionarySearch } from "./evolution";

/** A fitness function that scores each distinct arch once. */
function memoised(fitness: SearchObjective["fitness"]): SearchObjective["fitness"] {
  const seen = new Map<string, number>();
  return async (archs: readonly Arch[]) => {
    const fresh = archs.filter((a) => !seen.has(archKey(a)));
    if (fresh.length) (await fitness(fresh)).forEach((v, i) => seen.set(archKey(fresh[i]), v));
    return archs.map((a) => seen.get(archKey(a)) as number);
  };
}

/** An objective searched in `space`, or in the shared space when absent (e.g. a dense and a mixture-of-experts space side by side). */
export type SpacedObjective = SearchObjective & { readonly space?: SearchSpace };

/** Evolution on every objective with the same options, each stopped at the same number of scored archs. */
export async function evolutionAtEqualCost(space: SearchSpace, objectives: Readonly<Record<string, SpacedObjective>>, overrides: Partial<EvolutionOptions> = {}): Promise<Record<string, EvolutionResult>> {
  const names = Object.keys(objectives);
  if (names.length === 0) throw new Error("evolutionAtEqualCost: objectives is empty; pass at least one");
  const memo = Object.fromEntries(names.map((n) => [n, { ...objectives[n], fitness: memoised(objectives[n].fitness) }]));
  const run = (n: string, o: Partial<EvolutionOptions>) => evolutionarySearch(objectives[n].space ?? space, memo[n], o);
  // Searches run one after another, never interleaved: each scores on the device alone.
  const free: Record<string, EvolutionResult> = {};
  for (const n of names) free[n] = await run(n, overrides);
  const cap = Math.min(...names.map((n) => free[n].evaluated.length));
  const capped: Record<string, EvolutionResult> = {};
  for (const n of names) capped[n] = free[n].evaluated.length === cap ? free[n] : await run(n, { ...overrides, maxEvaluations: cap });
  return capped;
}
