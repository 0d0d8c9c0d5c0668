/**
 * The search space and the architecture of a HAT-style encoder-decoder Transformer
 * (Wang et al., "HAT: Hardware-Aware Transformers", ACL 2020). Both are plain readonly data:
 * a space lists the allowed choices for each elastic dimension, an arch picks one value per
 * dimension (per layer where the dimension is per layer). Everything else in this folder —
 * validation, gene encoding, features, samplers, evolution operators, sizes — is derived from
 * these two types, so a new space needs no code.
 */

/** Choices for each elastic dimension of a HAT-style encoder-decoder. */
export interface SearchSpace {
  /** Preset or user name, used in error messages and saved with results. */
  readonly name: string;
  readonly encoder: {
    /** Width of the encoder's hidden states (a slice of the shared embedding table). */
    readonly embedDim: readonly number[];
    /** Number of encoder layers. */
    readonly numLayers: readonly number[];
    /** Hidden width of each layer's FFN. */
    readonly ffnDim: readonly number[];
    /** Self-attention heads of each layer. */
    readonly numHeads: readonly number[];
  } & MoeChoices &
    RatioChoices &
    LayerHiddenChoices;
  /** Absent in an encoder-only (BERT) space: its archs are one encoder and a masked-LM head. */
  readonly decoder?: {
    /** Width of the decoder's hidden states. */
    readonly embedDim: readonly number[];
    /** Number of decoder layers. */
    readonly numLayers: readonly number[];
    /** Hidden width of each layer's FFN. */
    readonly ffnDim: readonly number[];
    /** Self-attention heads of each layer. */
    readonly selfHeads: readonly number[];
    /** Encoder-decoder (cross) attention heads of each layer. */
    readonly crossHeads: readonly number[];
    /**
     * Arbitrary encoder-decoder attention: a decoder layer attends to the last k encoder layers,
     * concatenated along time (HAT's -1, 1, 2 = our 1, 2, 3).
     */
    readonly crossLayers: readonly number[];
  } & MoeChoices &
    RatioChoices;
  /**
   * Fixed q/k/v width (HAT: 512): heads change the head size, not the parameter count. In a
   * space with `headDim` it is the supernet's widest q/k/v, headDim × the largest head count.
   */
  readonly qkvDim: number;
  /**
   * Fixed head size (AutoDistil, Xu et al., NeurIPS 2022: 64): an arch's attention width is
   * heads × headDim, so heads change the parameter count. Absent: HAT's rule, a fixed qkvDim
   * split into heads of qkvDim / heads.
   */
  readonly headDim?: number;
  /**
   * Every per-layer dimension takes one value for all layers of an arch (AutoDistil's
   * sub-spaces): one gene per per-layer dimension, so evolution changes all layers together.
   */
  readonly homogeneous?: boolean;
}

/**
 * AutoDistil's MLP ratio (Xu et al., NeurIPS 2022): declared by a space whose FFN width is a
 * multiple of the hidden size. It replaces ffnDim as the gene; the arch keeps ffnDim = ratio ×
 * embedDim, which the model reads, and the space's ffnDim lists every width that can arise.
 */
export interface RatioChoices {
  /** FFN width / hidden width of each layer; ratio × every embedDim choice is an integer. */
  readonly mlpRatio?: readonly number[];
}

/**
 * SuperShaper's per-layer hidden size (Ganesan et al., 2021), the space of MoS-BERT (Jawahar et
 * al., 2023): the stream between layers keeps embedDim, and each layer runs at its own width h
 * between an input bottleneck (embedDim -> h) and an output bottleneck (h -> embedDim); its
 * attention is h wide (numHeads heads of h / numHeads) and its FFN reads and writes h. Declared
 * by an encoder-only space only.
 */
export interface LayerHiddenChoices {
  /** Width of each layer between its bottlenecks; at most embedDim, divisible by every head count. */
  readonly layerHiddenDim?: readonly number[];
}

/**
 * AutoMoE's dimensions (Jawahar et al., 2022), declared by a space whose layers are
 * mixtures of experts and absent from a dense one. A valid space keeps every gene independent:
 * a layer routes each token to min(topK, numExperts) experts.
 */
export interface MoeChoices {
  /** Experts of each layer's FFN (1 = a dense layer). */
  readonly numExperts?: readonly number[];
  /** Experts each token is routed to. */
  readonly topK?: readonly number[];
  /** FFN widths of experts 1..numExperts-1 (expert 0's is ffnDim). */
  readonly expertFfnDim?: readonly number[];
}

/** AutoMoE's values of an arch part: per layer, and per expert 1..numExperts-1 of each layer. */
export interface MoeArchPart {
  readonly numExperts?: readonly number[];
  readonly topK?: readonly number[];
  /** expertFfnDim[l] has numExperts[l] - 1 entries: the widths of experts 1.. of layer l. */
  readonly expertFfnDim?: readonly (readonly number[])[];
}

/** AutoDistil's MLP ratio of each layer, in an arch of a space that declares it (ffnDim = ratio × embedDim). */
export interface RatioArchPart {
  readonly mlpRatio?: readonly number[];
}

/** SuperShaper's width of each layer between its bottlenecks, in an arch of a space that declares it. */
export interface LayerHiddenArchPart {
  readonly layerHiddenDim?: readonly number[];
}

/** One subnet of a space: a value per elastic dimension; per-layer arrays have length numLayers. */
export interface Arch {
  readonly encoder: {
    readonly embedDim: number;
    readonly numLayers: number;
    readonly ffnDim: readonly number[];
    readonly numHeads: readonly number[];
  } & MoeArchPart &
    RatioArchPart &
    LayerHiddenArchPart;
  /** Absent exactly when the space is encoder-only. */
  readonly decoder?: {
    readonly embedDim: number;
    readonly numLayers: number;
    readonly ffnDim: readonly number[];
    readonly selfHeads: readonly number[];
    readonly crossHeads: readonly number[];
    readonly crossLayers: readonly number[];
  } & MoeArchPart &
    RatioArchPart;
}

/** The decoder's values of an encoder-decoder arch. */
export type DecoderArch = NonNullable<Arch["decoder"]>;
/** Either part of an arch. */
export type ArchPart = Arch["encoder"] | DecoderArch;
/** The decoder's choices of an encoder-decoder space. */
export type DecoderChoices = NonNullable<SearchSpace["decoder"]>;
/** Either part of a space. */
export type SpacePart = SearchSpace["encoder"] | DecoderChoices;
/** An encoder-decoder space (translation): every preset of `presets.ts`. */
export type Seq2SeqSpace = SearchSpace & { readonly decoder: DecoderChoices };
/** An encoder-only space (BERT): archs are an encoder and a masked-LM head. */
export type EncoderOnlySpace = SearchSpace & { readonly decoder?: undefined };

/** Encoder or decoder. */
export type Part = "encoder" | "decoder";

/** A per-layer field of the encoder. */
export type EncoderLayerField = "ffnDim" | "numHeads";
/** A per-layer field of the decoder. */
export type DecoderLayerField = "ffnDim" | "selfHeads" | "crossHeads" | "crossLayers";
/** Any field of an arch part: the two scalars or a per-layer field. */
export type ArchField = "embedDim" | "numLayers" | EncoderLayerField | DecoderLayerField;
