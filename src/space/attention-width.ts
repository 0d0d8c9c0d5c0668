/**
 * The q/k/v width of one attention of an arch, the one rule every model, size and distillation
 * function reads. HAT (Wang et al., ACL 2020) fixes the width (qkvDim) and lets heads change
 * the head size; AutoDistil (Xu et al., NeurIPS 2022) fixes the head size at 64, so the width
 * is heads × 64: its q/k/v slice the first round(12 × width_mult) × 64 output units of the
 * teacher's 768-wide projection, each head keeping size 768 / 12 (microsoft/autodistil,
 * Code/transformers/modeling_bert.py, BertSelfAttention_v1 and round_to_nearest). SuperShaper
 * (Ganesan et al., 2021), which MoS-BERT builds on, makes the attention as wide as its layer:
 * heads of layerHiddenDim / heads (UBC-NLP/MoS, mos-bert/custom_layers/custom_bert.py,
 * BertSelfAttention.set_sample_config), so a layer of such a space passes its width.
 */
import type { SearchSpace } from "./types";

/** The space fields that decide attention widths. */
export type AttentionSpec = Pick<SearchSpace, "qkvDim" | "headDim">;

/**
 * q/k/v width of an attention with `heads` heads: the layer's own width where it has one
 * (`layerWidth`, SuperShaper's spaces), else heads × headDim, or HAT's fixed qkvDim.
 */
export function attentionWidth(space: AttentionSpec, heads: number, layerWidth?: number): number {
  if (layerWidth !== undefined) return layerWidth;
  return space.headDim === undefined ? space.qkvDim : heads * space.headDim;
}

/** Size of each head of an attention with `heads` heads (in a layer of width `layerWidth`, where it has one). */
export function headSize(space: AttentionSpec, heads: number, layerWidth?: number): number {
  return attentionWidth(space, heads, layerWidth) / heads;
}
