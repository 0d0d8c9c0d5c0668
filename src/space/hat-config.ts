/**
 * HAT subtransformer configs (Wang et al., ACL 2020; the `*-subtransformer` keys of HAT's yml
 * files and command line). HAT writes per-layer lists over the maximum depth and ignores the
 * entries past the layer count; it writes arbitrary attention as -1, 1, 2 for "the last 1, 2, 3
 * encoder layers". Converting here keeps HAT's conventions out of the rest of the library.
 */
import type { Arch, SearchSpace } from "./types";
import { describe, validateArch } from "./validate-arch";

/** HAT's key for each of our fields. */
const hatKeys = {
  encoderEmbedDim: "encoder-embed-dim-subtransformer",
  encoderNumLayers: "encoder-layer-num-subtransformer",
  encoderFfnDim: "encoder-ffn-embed-dim-all-subtransformer",
  encoderNumHeads: "encoder-self-attention-heads-all-subtransformer",
  decoderEmbedDim: "decoder-embed-dim-subtransformer",
  decoderNumLayers: "decoder-layer-num-subtransformer",
  decoderFfnDim: "decoder-ffn-embed-dim-all-subtransformer",
  decoderSelfHeads: "decoder-self-attention-heads-all-subtransformer",
  decoderCrossHeads: "decoder-ende-attention-heads-all-subtransformer",
  decoderCrossLayers: "decoder-arbitrary-ende-attn-all-subtransformer",
} as const;

/** Whether a parsed object looks like a HAT subtransformer config. */
export function isHatConfig(value: object): boolean {
  return Object.keys(value).some((k) => k.endsWith("-subtransformer"));
}

/** HAT's arbitrary-attention code (-1, 1, 2) as our crossLayers (1, 2, 3). */
export function crossLayersFromHat(code: number): number {
  return code === -1 ? 1 : code + 1;
}

/** Our crossLayers (1, 2, 3) as HAT's arbitrary-attention code (-1, 1, 2). */
export function crossLayersToHat(crossLayers: number): number {
  return crossLayers === 1 ? -1 : crossLayers - 1;
}

/** Convert and validate a HAT subtransformer config (keys as in HAT's yml files). */
export function archFromHatConfig(config: object, space: SearchSpace): Arch {
  const c = config as Record<string, unknown>;
  const scalar = (key: string): number => {
    const v = c[key];
    if (typeof v !== "number") throw new Error(`HAT config: ${key} must be a number, got ${describe(v)}`);
    return v;
  };
  const list = (key: string, numLayers: number): number[] => {
    const v = c[key];
    if (!Array.isArray(v) || v.length < numLayers) {
      throw new Error(`HAT config: ${key} must be a list of at least ${numLayers} numbers, got ${describe(v)}`);
    }
    return v.slice(0, numLayers) as number[];
  };
  const encLayers = scalar(hatKeys.encoderNumLayers);
  const decLayers = scalar(hatKeys.decoderNumLayers);
  const arch: Arch = {
    encoder: {
      embedDim: scalar(hatKeys.encoderEmbedDim),
      numLayers: encLayers,
      ffnDim: list(hatKeys.encoderFfnDim, encLayers),
      numHeads: list(hatKeys.encoderNumHeads, encLayers),
    },
    decoder: {
      embedDim: scalar(hatKeys.decoderEmbedDim),
      numLayers: decLayers,
      ffnDim: list(hatKeys.decoderFfnDim, decLayers),
      selfHeads: list(hatKeys.decoderSelfHeads, decLayers),
      crossHeads: list(hatKeys.decoderCrossHeads, decLayers),
      crossLayers: list(hatKeys.decoderCrossLayers, decLayers).map(crossLayersFromHat),
    },
  };
  validateArch(space, arch);
  return arch;
}

/** An arch as a HAT subtransformer config (per-layer lists of length numLayers); HAT's configs have no experts. */
export function archToHatConfig(arch: Arch): Record<string, number | number[]> {
  for (const part of ["encoder", "decoder"] as const) {
    if (arch[part].numExperts !== undefined) throw new Error(`archToHatConfig: ${part} has numExperts (a mixture-of-experts arch); HAT subtransformer configs describe dense archs only`);
  }
  return {
    [hatKeys.encoderEmbedDim]: arch.encoder.embedDim,
    [hatKeys.encoderNumLayers]: arch.encoder.numLayers,
    [hatKeys.encoderFfnDim]: [...arch.encoder.ffnDim],
    [hatKeys.encoderNumHeads]: [...arch.encoder.numHeads],
    [hatKeys.decoderEmbedDim]: arch.decoder.embedDim,
    [hatKeys.decoderNumLayers]: arch.decoder.numLayers,
    [hatKeys.decoderFfnDim]: [...arch.decoder.ffnDim],
    [hatKeys.decoderSelfHeads]: [...arch.decoder.selfHeads],
    [hatKeys.decoderCrossHeads]: [...arch.decoder.crossHeads],
    [hatKeys.decoderCrossLayers]: arch.decoder.crossLayers.map(crossLayersToHat),
  };
}
