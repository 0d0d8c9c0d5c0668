/**
 * The downstream tasks by name, so a preset can list the tasks a notebook fine-tunes on as plain
 * strings, validated where the preset is read. Every task is built from shipped data only; the
 * next-sentence task draws its negatives with a seed, so its name and seed fix its examples.
 */
import { Rng } from "../../util/rng";
import type { LabelledSentence } from "../prepare/sentiment";
import { brownGenreTask, brownNextSentenceTask } from "./brown-tasks";
import { crossDomainSentimentTask, sentimentSources, sentimentTask } from "./sentiment-tasks";
import type { SentenceExample, SentencePairExample, TextTask } from "./text-task";

/** Any downstream task. */
export type DownstreamTask = TextTask<SentenceExample> | TextTask<SentencePairExample>;

const builders: Readonly<Record<string, (seed: number) => DownstreamTask>> = Object.freeze({
  sentiment: () => sentimentTask(),
  ...Object.fromEntries(sentimentSources.map((site) => [`sentiment-cross-domain-${site}`, () => crossDomainSentimentTask(site as LabelledSentence["source"])])),
  "brown-genre": () => brownGenreTask(),
  "brown-next-sentence": (seed: number) => brownNextSentenceTask(new Rng(seed)),
});

/** Names of the downstream tasks, as their `name` field spells them. */
export const downstreamTaskNames: readonly string[] = Object.freeze(Object.keys(builders));

/** The task with this name (the seed draws the next-sentence negatives); an unknown name gets an error listing the known ones. */
export function downstreamTask(name: string, seed = 1): DownstreamTask {
  if (!Object.prototype.hasOwnProperty.call(builders, name)) throw new Error(`downstreamTask: unknown task "${name}"; known: ${downstreamTaskNames.join(", ")}`);
  if (!Number.isInteger(seed)) throw new Error(`downstreamTask: seed must be an integer, got ${seed}`);
  return builders[name](seed);
}
