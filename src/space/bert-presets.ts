/**
 * Encoder-only (BERT) search spaces: the encoder part of the schema alone, read by the same
 * validation, genes, samplers, features and sizes as the translation spaces, with a masked-LM
 * head tied to the embedding table. Unlike the translation encoder, depth is elastic (AutoDistil
 * and NAS-BERT search it). q/k/v width is fixed as in HAT, so heads change the head size.
 * AutoDistil's paper sub-spaces need homogeneous layers and a fixed head size (attention width
 * = heads × 64); those are not in the schema yet, so no `paper` BERT space exists.
 */
import type { EncoderOnlySpace } from "./types";
import { defineSpace } from "./validate-space";

/** CI scale: hidden 32..64, 1..2 layers; the largest subnet has 67k parameters without embeddings. */
const bertTiny = defineSpace({
  name: "bert-tiny",
  encoder: { embedDim: [32, 48, 64], numLayers: [1, 2], ffnDim: [64, 96, 128], numHeads: [2, 4] },
  qkvDim: 64,
}) as EncoderOnlySpace;

/**
 * CPU scale: hidden 128..256, 2..4 layers, FFN 256..1024 (ratio 1..4 of the hidden size, as
 * AutoDistil's MLP ratios 2..4 and more), heads 2 or 4 of a 256-wide q/k/v; the largest subnet
 * has 3.2M parameters without embeddings, the smallest 0.4M.
 */
const bertSmall = defineSpace({
  name: "bert-small",
  encoder: { embedDim: [128, 192, 256], numLayers: [2, 3, 4], ffnDim: [256, 512, 1024], numHeads: [2, 4] },
  qkvDim: 256,
}) as EncoderOnlySpace;

/** The BERT spaces by name (frozen). */
export const bertSpaces = Object.freeze({ "bert-tiny": bertTiny, "bert-small": bertSmall });

/** A BERT space name. */
export type BertSpaceName = keyof typeof bertSpaces;

/** The BERT space with this name; an unknown name throws an error listing the known ones. */
export function getBertSpace(name: string): EncoderOnlySpace {
  if (!Object.prototype.hasOwnProperty.call(bertSpaces, name)) throw new Error(`unknown BERT space "${name}"; known: ${Object.keys(bertSpaces).join(", ")}`);
  return bertSpaces[name as BertSpaceName];
}
