/**
 * Encoder-only (BERT) search spaces: the encoder part of the schema alone, read by the same
 * validation, genes, samplers, features and sizes as the translation spaces, with a masked-LM
 * head tied to the embedding table. Unlike the translation encoder, depth is elastic (AutoDistil
 * and NAS-BERT search it). In bert-tiny and bert-small q/k/v width is fixed as in HAT, so heads
 * change the head size; AutoDistil's sub-spaces fix the head size instead (attention width =
 * heads × 64), make every layer alike and set the FFN width by an MLP ratio.
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

/**
 * AutoDistil's super-LMs (Xu et al., NeurIPS 2022, Table 2; data/published/autodistil_table2_search_space.csv):
 * four values per dimension, one value for all layers (4^4 = 256 subnets each), heads of size 64
 * and FFN width = MLP ratio × hidden. The same grids are the released run configs
 * (microsoft/autodistil, Code/run_yaml/KD_wiki_book_Seqlen128_PreModel_RndSampl_{Tiny,Small,Base}_256Subs.yaml,
 * as fractions of a 12-layer, 768-wide, 12-head teacher).
 */
const autodistil = (name: string, numLayers: number[], embedDim: number[], mlpRatio: number[], numHeads: number[]) =>
  defineSpace({ name, encoder: { embedDim, numLayers, mlpRatio, numHeads }, headDim: 64, homogeneous: true }) as EncoderOnlySpace;

/** AutoDistil Tiny: layers 4..7, hidden 128..224, MLP ratio 2..3.5, heads 7..10. */
const autodistilTiny = autodistil("autodistil-tiny", [4, 5, 6, 7], [128, 160, 192, 224], [2, 2.5, 3, 3.5], [7, 8, 9, 10]);

/** AutoDistil Small: layers 9..12, hidden 256..352, MLP ratio 2.5..4, heads 7..10. */
const autodistilSmall = autodistil("autodistil-small", [9, 10, 11, 12], [256, 288, 320, 352], [2.5, 3, 3.5, 4], [7, 8, 9, 10]);

/** AutoDistil Base: layers 9..12, hidden 544..640, MLP ratio 2.5..4, heads 9..12. */
const autodistilBase = autodistil("autodistil-base", [9, 10, 11, 12], [544, 576, 608, 640], [2.5, 3, 3.5, 4], [9, 10, 11, 12]);

/**
 * MoS-BERT's space (Jawahar et al., 2023; UBC-NLP/MoS, mos-bert, built on SuperShaper, Ganesan et
 * al., 2021): 12 layers with a 768-wide stream, 12 heads and FFN 3072 fixed, and each layer's
 * own width between its bottlenecks from 7 values (`Sampler.get_choices`; evo_ours.py searches
 * "sample_hidden_size" alone): 7^12 subnets.
 */
const mosBert = defineSpace({
  name: "mos-bert",
  encoder: { embedDim: [768], numLayers: [12], ffnDim: [3072], numHeads: [12], layerHiddenDim: [120, 240, 360, 480, 540, 600, 768] },
}) as EncoderOnlySpace;

/**
 * MoS-BERT's space at CPU scale: a 256-wide stream (768 / 3), 4 layers, 4 heads, FFN 512, and
 * the authors' 7 widths divided by 3 (40..256), so the smallest layer keeps the same fraction
 * of the stream (0.16) as theirs; 7^4 = 2,401 subnets.
 */
const shaperSmall = defineSpace({
  name: "shaper-small",
  encoder: { embedDim: [256], numLayers: [4], ffnDim: [512], numHeads: [4], layerHiddenDim: [40, 80, 120, 160, 180, 200, 256] },
}) as EncoderOnlySpace;

/** MoS-BERT's space at CI scale: a 64-wide stream, 2 layers, 2 heads, FFN 128, widths 16..64 (16 subnets). */
const shaperTiny = defineSpace({
  name: "shaper-tiny",
  encoder: { embedDim: [64], numLayers: [2], ffnDim: [128], numHeads: [2], layerHiddenDim: [16, 32, 48, 64] },
}) as EncoderOnlySpace;

/** The BERT spaces by name (frozen). */
export const bertSpaces = Object.freeze({
  "bert-tiny": bertTiny,
  "bert-small": bertSmall,
  "autodistil-tiny": autodistilTiny,
  "autodistil-small": autodistilSmall,
  "autodistil-base": autodistilBase,
  "shaper-tiny": shaperTiny,
  "shaper-small": shaperSmall,
  "mos-bert": mosBert,
});

/** A BERT space name. */
export type BertSpaceName = keyof typeof bertSpaces;

/** The BERT space with this name; an unknown name throws an error listing the known ones. */
export function getBertSpace(name: string): EncoderOnlySpace {
  if (!Object.prototype.hasOwnProperty.call(bertSpaces, name)) throw new Error(`unknown BERT space "${name}"; known: ${Object.keys(bertSpaces).join(", ")}`);
  return bertSpaces[name as BertSpaceName];
}
