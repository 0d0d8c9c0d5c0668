/**
 * Independent random streams derived from one seed, so that a batching config stores a single
 * number: stream 0 orders examples into batches, stream e + 1 shuffles the batches of epoch e.
 * Each stream is a fork of the seed's generator, so streams do not overlap and none shifts another.
 */
import { Rng } from "../../util/rng";

/** The generator of stream `stream` (a non-negative integer) of `seed`. */
export function seedStream(seed: number, stream: number): Rng {
  const root = new Rng(seed);
  for (let i = 0; i < stream; i++) root.nextUint32();
  return root.fork();
}
