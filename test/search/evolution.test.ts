import { test } from "node:test";
import assert from "node:assert/strict";
import { differingOperators, getSpace, isValidArch, largestArch, sampleArch, smallestArch, archKey, archParams } from "../../src/space";
import type { Arch } from "../../src/space";
import { evolutionAtEqualCost, evolutionarySearch, flopsCost, makeEvolutionOptions, paramsCost, randomSearch, withinBudget } from "../../src/search";
import { Rng } from "../../src/util/rng";

const space = getSpace("small");
const vocab = 4000;
// A hidden target: fitness is how many operators an arch differs from it in (0 at the target).
const target = sampleArch(space, new Rng(99));
const budget = { name: "params", cost: paramsCost(space, vocab), limit: archParams(space, target, vocab, { includeEmbeddings: false }) * 1.05 };
const settings = { population: 20, parents: 4, mutants: 8, crossovers: 8, iterations: 12 };

function countingObjective() {
  const calls: string[][] = [];
  return {
    calls,
    objective: {
      fitness: (archs: readonly Arch[]) => {
        calls.push(archs.map(archKey));
        return archs.map((a) => differingOperators(a, target).count);
      },
      feasible: withinBudget(budget),
    },
  };
}

test("evolution improves on its initial population, never loses its best, and keeps every candidate within budget", async () => {
  const { objective } = countingObjective();
  const result = await evolutionarySearch(space, objective, { ...settings, seed: 3 });
  const best = result.history.map((r) => r.bestFitness);
  for (let i = 1; i < best.length; i++) assert.ok(best[i] <= best[i - 1], `iteration ${i}: ${best[i - 1]} -> ${best[i]}`);
  assert.ok(best[best.length - 1] < best[0] - 3, `best ${best[0]} -> ${best[best.length - 1]}`);
  assert.equal(result.history.length, settings.iterations + 1);
  assert.equal(result.population.length, settings.population);
  for (const c of result.evaluated) {
    assert.ok(isValidArch(space, c.arch), c.key);
    assert.ok(budget.cost(c.arch) <= budget.limit, `${c.key} is over budget`);
  }
  assert.equal(result.best.fitness, differingOperators(result.best.arch, target).count);
});

test("evolution beats random search with the same number of scored archs", async () => {
  const evo = await evolutionarySearch(space, countingObjective().objective, { ...settings, seed: 5 });
  const rnd = await randomSearch(space, countingObjective().objective, { evaluations: evo.evaluated.length, seed: 5 });
  assert.equal(rnd.evaluated.length, evo.evaluated.length);
  assert.ok(evo.best.fitness < rnd.best.fitness, `evolution ${evo.best.fitness} vs random ${rnd.best.fitness}`);
  for (const c of rnd.evaluated) assert.ok(budget.cost(c.arch) <= budget.limit);
});

test("evolution scores each distinct arch once and is deterministic in its seed", async () => {
  const a = countingObjective();
  const first = await evolutionarySearch(space, a.objective, { ...settings, seed: 7 });
  const scored = a.calls.flat();
  assert.equal(new Set(scored).size, scored.length, "no arch is scored twice");
  assert.equal(scored.length, first.evaluated.length);
  const again = await evolutionarySearch(space, countingObjective().objective, { ...settings, seed: 7 });
  assert.deepEqual(again.history, first.history);
  const other = await evolutionarySearch(space, countingObjective().objective, { ...settings, seed: 8 });
  assert.notDeepEqual(other.evaluated.map((c) => c.key), first.evaluated.map((c) => c.key));
});

test("bad search settings and impossible budgets are rejected with the field named", async () => {
  assert.throws(() => makeEvolutionOptions({ population: 20, parents: 4, mutants: 8, crossovers: 7 }), /parents \+ mutants \+ crossovers = 19 must equal population = 20/);
  assert.throws(() => makeEvolutionOptions({ mutateProb: 1.5 }), /mutateProb = 1.5 must be in \[0, 1\]/);
  assert.throws(() => makeEvolutionOptions({ iterations: 0 }), /iterations = 0 must be an integer >= 1/);
  const tooSmall = { name: "params", cost: paramsCost(space, vocab), limit: archParams(space, smallestArch(space), vocab, { includeEmbeddings: false }) - 1 };
  await assert.rejects(
    () => evolutionarySearch(space, { fitness: (archs) => archs.map(() => 0), feasible: withinBudget(tooSmall) }, { ...settings, maxTries: 200 }),
    /no feasible initial arch in 200 draws/,
  );
  assert.throws(() => withinBudget({ ...budget, limit: 0 }), /budget "params": limit = 0 must be a positive number/);
  await assert.rejects(
    () => evolutionarySearch(space, { fitness: (archs) => archs.map(() => NaN) }, settings),
    /fitness of .* is NaN, not a finite number/,
  );
});

test("a budget that only the largest arch breaks never admits it", async () => {
  const largest = largestArch(space);
  const limit = archParams(space, largest, vocab, { includeEmbeddings: false }) - 1;
  const result = await evolutionarySearch(space, { fitness: (archs) => archs.map((a) => -budget.cost(a)), feasible: withinBudget({ name: "params", cost: budget.cost, limit }) }, { ...settings, seed: 2 });
  assert.ok(result.evaluated.every((c) => c.key !== archKey(largest)));
  // Maximising size under the budget drives the search towards the limit.
  assert.ok(-result.best.fitness > 0.8 * limit, `${-result.best.fitness} of ${limit}`);
});

test("an evaluation cap stops the search at exactly that many scored archs, as the first part of the uncapped run", async () => {
  const free = await evolutionarySearch(space, countingObjective().objective, { ...settings, seed: 5 });
  const capped = await evolutionarySearch(space, countingObjective().objective, { ...settings, seed: 5, maxEvaluations: 50 });
  assert.equal(capped.evaluated.length, 50);
  assert.deepEqual(capped.evaluated.map((c) => c.key), free.evaluated.slice(0, 50).map((c) => c.key));
  assert.throws(() => makeEvolutionOptions({ maxEvaluations: 0 }), /maxEvaluations = 0 must be an integer >= 1 or Infinity/);
});

test("searches at equal cost score the same number of archs (the fewest either reached alone), each arch once", async () => {
  const other = sampleArch(space, new Rng(5));
  const objectiveFor = (t: Arch, calls: string[][]) => ({
    fitness: (archs: readonly Arch[]) => (calls.push(archs.map(archKey)), archs.map((x) => differingOperators(x, t).count)),
    feasible: withinBudget(budget),
  });
  const alone: number[] = [];
  for (const t of [target, other]) alone.push((await evolutionarySearch(space, objectiveFor(t, []), { ...settings, seed: 7 })).evaluated.length);
  assert.notEqual(alone[0], alone[1], "the two searches differ in cost on their own");
  const calls: string[][][] = [[], []];
  const results = await evolutionAtEqualCost(space, { a: objectiveFor(target, calls[0]), b: objectiveFor(other, calls[1]) }, { ...settings, seed: 7 });
  assert.equal(results.a.evaluated.length, Math.min(...alone));
  assert.equal(results.b.evaluated.length, Math.min(...alone));
  for (const c of calls) assert.equal(new Set(c.flat()).size, c.flat().length, "no arch is scored twice");
});

test("in the AutoMoE space, evolution under a routed-FLOPs budget improves, never admits an arch over budget, and an impossible budget names itself", async () => {
  const moe = getSpace("small-moe");
  const flops = flopsCost(moe, { srcLen: 30, tgtLen: 30, includeEmbeddings: false });
  const goal = sampleArch(moe, new Rng(41));
  const limit = flops(goal) * 1.1;
  const fitness = (archs: readonly Arch[]) => archs.map((a) => differingOperators(a, goal).count);
  const result = await evolutionarySearch(moe, { fitness, feasible: withinBudget({ name: "FLOPs", cost: flops, limit }) }, { ...settings, seed: 3 });
  for (const c of result.evaluated) assert.ok(flops(c.arch) <= limit, `${c.key} is over budget`);
  assert.ok(result.history[result.history.length - 1].bestFitness < result.history[0].bestFitness, "the search improves");
  const impossible = { name: "FLOPs", cost: flops, limit: flops(smallestArch(moe)) - 1 };
  await assert.rejects(() => evolutionarySearch(moe, { fitness, feasible: withinBudget(impossible) }, { ...settings, maxTries: 100 }), /no feasible initial arch in 100 draws; the budget excludes/);
});
