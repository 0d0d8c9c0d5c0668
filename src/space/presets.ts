/**
 * Named search spaces: `tiny` for CI, `small` for CPU training, `paper` for HAT's WMT'14 En-De
 * space (`space0.yml` of Wang et al., ACL 2020). Choices are listed in ascending order (HAT's
 * yml lists them descending); the order only fixes what a gene index means.
 */
import type { Seq2SeqSpace } from "./types";
import { defineSpace } from "./validate-space";

/**
 * Seconds-scale runs in CI and notebook smoke tests: the largest subnet is d 64, FFN 128,
 * 2 + 2 layers (168k parameters without embeddings; the smallest 47k). qkvDim 64 gives head
 * sizes 16 or 32.
 * Encoder depth is fixed, like HAT's, so crossLayers 1..2 is always valid.
 */
const tiny: Seq2SeqSpace = defineSpace({
  name: "tiny",
  encoder: { embedDim: [32, 48, 64], numLayers: [2], ffnDim: [64, 96, 128], numHeads: [2, 4] },
  decoder: {
    embedDim: [32, 48, 64],
    numLayers: [1, 2],
    ffnDim: [64, 96, 128],
    selfHeads: [2, 4],
    crossHeads: [2, 4],
    crossLayers: [1, 2],
  },
  qkvDim: 64,
});

/**
 * The default main job, trainable on 2 CPU cores (tfjs wasm) in minutes to tens of minutes.
 * The largest subnet is d 256, FFN 1024, 3 + 3 layers (5.5M parameters without embeddings; the
 * smallest, d 128, FFN 256, 3 + 1 layers, 0.9M): the width measured at ~1,750 tokens/s a training
 * step on 2 cores (design §6), HAT's space scaled by 1/2.5 in width and 1/2 in depth. FFN spans 256..1024 so
 * that, as in HAT (1024..3072 over 512..640), the ratio FFN/embed ranges from 1 to 4 and the
 * space covers a wide FLOPs range. qkvDim 256 with heads 2 or 4 gives head sizes 128 or 64, the
 * same head sizes as HAT's 512 with 4 or 8 heads.
 */
const small: Seq2SeqSpace = defineSpace({
  name: "small",
  encoder: { embedDim: [128, 192, 256], numLayers: [3], ffnDim: [256, 512, 1024], numHeads: [2, 4] },
  decoder: {
    embedDim: [128, 192, 256],
    numLayers: [1, 2, 3],
    ffnDim: [256, 512, 1024],
    selfHeads: [2, 4],
    crossHeads: [2, 4],
    crossLayers: [1, 2],
  },
  qkvDim: 256,
});

/**
 * HAT's WMT'14 En-De space0: embed 512/640, 6 encoder layers, 1..6 decoder layers, FFN
 * 1024/2048/3072, 4 or 8 heads everywhere, arbitrary attention over the last 1..3 encoder
 * layers (HAT's -1, 1, 2), qkvDim 512. For a GPU machine.
 */
const paper: Seq2SeqSpace = defineSpace({
  name: "paper",
  encoder: { embedDim: [512, 640], numLayers: [6], ffnDim: [1024, 2048, 3072], numHeads: [4, 8] },
  decoder: {
    embedDim: [512, 640],
    numLayers: [1, 2, 3, 4, 5, 6],
    ffnDim: [1024, 2048, 3072],
    selfHeads: [4, 8],
    crossHeads: [4, 8],
    crossLayers: [1, 2, 3],
  },
  qkvDim: 512,
});

/** A dense space with AutoMoE's dimensions added to every encoder and decoder layer. */
function withExperts(space: Seq2SeqSpace, name: string, maxExperts: number): Seq2SeqSpace {
  const experts = { numExperts: Array.from({ length: maxExperts }, (_, i) => i + 1), topK: [1] };
  return defineSpace({
    ...space,
    name,
    encoder: { ...space.encoder, ...experts, expertFfnDim: space.encoder.ffnDim },
    decoder: { ...space.decoder, ...experts, expertFfnDim: space.decoder.ffnDim },
  });
}

/**
 * AutoMoE's search space (Jawahar et al., 2022) over each dense preset: every layer holds 1..E
 * experts, each with its own width from the layer's FFN choices, top-1 routing as in the
 * released configs. E is 6 on `paper-moe` (AutoMoE's default), 3 on `tiny-moe` and 4 on
 * `small-moe` to keep CPU training affordable.
 */
const tinyMoe = withExperts(tiny, "tiny-moe", 3);
const smallMoe = withExperts(small, "small-moe", 4);
const paperMoe = withExperts(paper, "paper-moe", 6);

/** The preset spaces by name (frozen). */
export const spaces = Object.freeze({ tiny, small, paper, "tiny-moe": tinyMoe, "small-moe": smallMoe, "paper-moe": paperMoe });

/** A preset name. */
export type SpaceName = keyof typeof spaces;

/** The names of the preset spaces. */
export const spaceNames: readonly SpaceName[] = Object.freeze(Object.keys(spaces) as SpaceName[]);

/** The preset space with this name; an unknown name throws an error listing the known ones. */
export function getSpace(name: string): Seq2SeqSpace {
  if (!Object.prototype.hasOwnProperty.call(spaces, name)) {
    throw new Error(`unknown search space "${name}"; known: ${spaceNames.join(", ")}`);
  }
  return spaces[name as SpaceName];
}
