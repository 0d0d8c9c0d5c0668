/**
 * Evolutionary architecture search as in HAT (Wang et al., ACL 2020): a population of valid
 * archs under a hardware constraint; each iteration keeps the best `parents`, adds `mutants`
 * (each gene resampled with `mutateProb`) and `crossovers` (genes drawn uniformly from two
 * parents), and rejects any child that breaks the constraint. Fitness is lower-is-better
 * (validation loss with inherited weights in HAT) and is evaluated once per distinct arch.
 */
import { archKey } from "../space/arch-key";
import { crossover } from "../space/crossover";
import { mutate } from "../space/mutate";
import { sampleArch } from "../space/sample-arch";
import type { Arch, SearchSpace } from "../space/types";
import { Rng } from "../util/rng";

/** Knobs of the search; defaults are HAT's. */
export interface EvolutionOptions {
  readonly population: number;
  readonly parents: number;
  readonly mutants: number;
  readonly crossovers: number;
  /** Per-gene resampling probability of a mutant. */
  readonly mutateProb: number;
  /** Probability of taking each gene from the second parent in a crossover. */
  readonly crossoverProb: number;
  readonly iterations: number;
  readonly seed: number;
  /** Draws allowed per accepted child before the constraint is declared unsatisfiable. */
  readonly maxTries: number;
  /** Stop once this many distinct archs are scored (searches compared at equal cost); Infinity = no cap. */
  readonly maxEvaluations: number;
}

/** HAT's search settings: 125 = 25 parents + 50 mutants + 50 crossovers, 30 iterations. */
export const evolutionDefaults: EvolutionOptions = Object.freeze({
  population: 125,
  parents: 25,
  mutants: 50,
  crossovers: 50,
  mutateProb: 0.3,
  crossoverProb: 0.5,
  iterations: 30,
  seed: 1,
  maxTries: 10_000,
  maxEvaluations: Infinity,
});

/** HAT's 1:2:2 split of a population into parents, mutants and crossovers (125 = 25 + 50 + 50). */
export function populationSplit(population: number): Pick<EvolutionOptions, "population" | "parents" | "mutants" | "crossovers"> {
  if (!Number.isInteger(population) || population < 3) throw new Error(`evolution: population = ${population} must be an integer >= 3`);
  const parents = Math.max(1, Math.round(population / 5));
  const mutants = Math.floor((population - parents) / 2);
  return { population, parents, mutants, crossovers: population - parents - mutants };
}

/** What the search needs to know about candidates. */
export interface SearchObjective {
  /** Lower-is-better scores of a list of archs (called with archs not scored before); may be asynchronous. */
  readonly fitness: (archs: readonly Arch[]) => number[] | Promise<number[]>;
  /** Whether an arch meets the budget (may be asynchronous, e.g. a latency predictor on the device); absent = every arch does. */
  readonly feasible?: (arch: Arch) => boolean | Promise<boolean>;
}

/** One scored candidate. */
export interface Candidate {
  readonly arch: Arch;
  readonly key: string;
  readonly fitness: number;
}

/** One row per iteration, tidy, for tables and plots. */
export interface EvolutionRow {
  readonly iteration: number;
  readonly bestFitness: number;
  readonly meanParentFitness: number;
  readonly bestArch: string;
  /** Distinct archs scored so far (the search's cost). */
  readonly evaluated: number;
}

/** The search's outcome. */
export interface EvolutionResult {
  readonly best: Candidate;
  /** Final population, best first. */
  readonly population: readonly Candidate[];
  readonly history: readonly EvolutionRow[];
  /** Every distinct arch scored, in the order it was first seen. */
  readonly evaluated: readonly Candidate[];
}

/** Validates and completes search options; errors name the field and the allowed range. */
export function makeEvolutionOptions(overrides: Partial<EvolutionOptions> = {}): EvolutionOptions {
  const o: EvolutionOptions = { ...evolutionDefaults, ...overrides };
  const positiveInt = (field: keyof EvolutionOptions, min: number) => {
    const v = o[field];
    if (!Number.isInteger(v) || v < min) throw new Error(`evolution: ${field} = ${v} must be an integer >= ${min}`);
  };
  positiveInt("population", 2);
  positiveInt("parents", 1);
  positiveInt("mutants", 0);
  positiveInt("crossovers", 0);
  positiveInt("iterations", 1);
  positiveInt("maxTries", 1);
  if (o.parents + o.mutants + o.crossovers !== o.population) {
    throw new Error(`evolution: parents + mutants + crossovers = ${o.parents + o.mutants + o.crossovers} must equal population = ${o.population}`);
  }
  if (o.parents >= o.population) throw new Error(`evolution: parents = ${o.parents} must be < population = ${o.population}`);
  for (const field of ["mutateProb", "crossoverProb"] as const) {
    if (!(o[field] >= 0 && o[field] <= 1)) throw new Error(`evolution: ${field} = ${o[field]} must be in [0, 1]`);
  }
  if (o.maxEvaluations !== Infinity && !(Number.isInteger(o.maxEvaluations) && o.maxEvaluations >= 1)) {
    throw new Error(`evolution: maxEvaluations = ${o.maxEvaluations} must be an integer >= 1 or Infinity`);
  }
  if (!Number.isFinite(o.seed)) throw new Error(`evolution: seed = ${o.seed} must be a finite number`);
  return o;
}

/** Runs the search; deterministic in `options.seed` given a deterministic objective. */
export async function evolutionarySearch(space: SearchSpace, objective: SearchObjective, overrides: Partial<EvolutionOptions> = {}): Promise<EvolutionResult> {
  const o = makeEvolutionOptions(overrides);
  const rng = new Rng(o.seed);
  const feasible = objective.feasible ?? (() => true);
  const scores = new Map<string, Candidate>();
  const evaluated: Candidate[] = [];

  const draw = async (make: () => Arch, what: string): Promise<Arch> => {
    for (let t = 0; t < o.maxTries; t++) {
      const arch = make();
      if (await feasible(arch)) return arch;
    }
    throw new Error(`evolution: no feasible ${what} in ${o.maxTries} draws; the budget excludes (nearly) the whole space`);
  };
  // Archs past the evaluation cap stay unscored and drop out of the population.
  const score = async (archs: readonly Arch[]): Promise<Candidate[]> => {
    const fresh: Arch[] = [];
    const freshKeys = new Set<string>();
    for (const a of archs) {
      const key = archKey(a);
      if (!scores.has(key) && !freshKeys.has(key) && evaluated.length + fresh.length < o.maxEvaluations) {
        freshKeys.add(key);
        fresh.push(a);
      }
    }
    if (fresh.length) {
      const values = await objective.fitness(fresh);
      if (values.length !== fresh.length) throw new Error(`evolution: fitness returned ${values.length} scores for ${fresh.length} archs`);
      fresh.forEach((a, i) => {
        if (!Number.isFinite(values[i])) throw new Error(`evolution: fitness of ${archKey(a)} is ${values[i]}, not a finite number`);
        const c = { arch: a, key: archKey(a), fitness: values[i] };
        scores.set(c.key, c);
        evaluated.push(c);
      });
    }
    return archs.flatMap((a) => scores.get(archKey(a)) ?? []);
  };
  // Ties keep insertion order (stable sort), which keeps the search deterministic.
  const rank = (cs: readonly Candidate[]) => [...cs].sort((a, b) => a.fitness - b.fitness);

  // Draws run one after another: each consumes the shared rng in turn, as the search's determinism needs.
  const drawMany = async (n: number, make: () => Arch, what: string): Promise<Arch[]> => {
    const archs: Arch[] = [];
    for (let i = 0; i < n; i++) archs.push(await draw(make, what));
    return archs;
  };

  let population = rank(await score(await drawMany(o.population, () => sampleArch(space, rng), "initial arch")));
  const history: EvolutionRow[] = [];
  const record = (iteration: number, parents: readonly Candidate[]) =>
    history.push({
      iteration,
      bestFitness: parents[0].fitness,
      meanParentFitness: parents.reduce((s, c) => s + c.fitness, 0) / parents.length,
      bestArch: parents[0].key,
      evaluated: evaluated.length,
    });
  record(0, population.slice(0, o.parents));
  for (let it = 1; it <= o.iterations && evaluated.length < o.maxEvaluations; it++) {
    const parents = population.slice(0, o.parents);
    const mutants = await drawMany(o.mutants, () => mutate(space, rng.choice(parents).arch, rng, { prob: o.mutateProb }), "mutant");
    const children = await drawMany(o.crossovers, () => crossover(space, rng.choice(parents).arch, rng.choice(parents).arch, rng, { prob: o.crossoverProb }), "crossover");
    population = rank([...parents, ...(await score([...mutants, ...children]))]);
    record(it, population.slice(0, o.parents));
  }
  return { best: population[0], population, history, evaluated };
}
