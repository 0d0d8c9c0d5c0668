/**
 * A layer's FFN, dense or mixture-of-experts as the arch says: a part without AutoMoE's
 * dimensions runs HAT's elastic FFN; one with them runs the token-routed experts of `src/moe`
 * (a 1-expert layer is the dense FFN itself) and reports its balance loss and routing
 * statistics to the forward context.
 */
import type * as tf from "@tensorflow/tfjs";
import { moeDefaults } from "../moe/config";
import { moeFfn } from "../moe/moe-ffn";
import { layerFfn } from "../space/params";
import { archPart, encoderLayerWidth } from "../space/schema";
import type { Arch, Part } from "../space/types";
import { ForwardContext, slicedFfn } from "./layers";
import type { Weights } from "./params";

/** The FFN of layer `l` of `part` on x (B, T, d), prefix "enc.<l>" or "dec.<l>". */
export function ffnBlock(params: Weights, prefix: string, x: tf.Tensor, arch: Arch, part: Part, l: number, activationDropout: number, ctx: ForwardContext): tf.Tensor {
  const p = archPart(arch, part, "ffnBlock");
  // A SuperShaper layer's FFN reads and writes the layer's own width.
  const d = part === "encoder" ? encoderLayerWidth(arch, l) : p.embedDim;
  const { widths, k } = layerFfn(arch, part, l);
  if (p.numExperts === undefined) return slicedFfn(params, prefix, x, d, widths[0], activationDropout, ctx);
  const records = ctx.moe?.records;
  const r = moeFfn(params, prefix, x, { embedDim: d, expertWidths: widths, topK: k }, ctx.moe?.options ?? moeDefaults, activationDropout, ctx, records !== undefined);
  if (records && r.stats) records.push({ layer: prefix, experts: widths.length, balanceLoss: r.balanceLoss, stats: r.stats });
  return r.output;
}
