/**
 * The operators in which two children differ, at the granularity of MAGIC's Observation 1
 * (Xu et al., ICML 2022: gradient similarity of shared operators falls as the number of
 * differing operators grows). The operators of a HAT-style encoder-decoder are:
 *   - `encoder.embedding`, `decoder.embedding` — differ when embedDim differs;
 *   - per encoder layer i: `encoder.layer[i].selfAttn` (numHeads), `encoder.layer[i].ffn` (ffnDim);
 *   - per decoder layer i: `decoder.layer[i].selfAttn` (selfHeads),
 *     `decoder.layer[i].crossAttn` (crossHeads or crossLayers), `decoder.layer[i].ffn` (ffnDim).
 * An operator differs when its OWN setting differs. A change of embedDim also changes the input
 * width of every layer of that part, but it is one gene and counts once (as the embedding), so
 * the count follows the number of changed choices. A layer present in one arch only counts all
 * of its operators as differing.
 */
import type { Arch } from "./types";

/** The operators (names as above) in which a and b differ, in a fixed order, and their count. */
export function differingOperators(a: Arch, b: Arch): { count: number; operators: string[] } {
  const operators: string[] = [];
  if (a.encoder.embedDim !== b.encoder.embedDim) operators.push("encoder.embedding");
  const encLayers = Math.max(a.encoder.numLayers, b.encoder.numLayers);
  for (let i = 0; i < encLayers; i++) {
    const both = i < a.encoder.numLayers && i < b.encoder.numLayers;
    const p = `encoder.layer[${i}]`;
    if (!both || a.encoder.numHeads[i] !== b.encoder.numHeads[i]) operators.push(`${p}.selfAttn`);
    if (!both || a.encoder.ffnDim[i] !== b.encoder.ffnDim[i]) operators.push(`${p}.ffn`);
  }
  if (a.decoder.embedDim !== b.decoder.embedDim) operators.push("decoder.embedding");
  const decLayers = Math.max(a.decoder.numLayers, b.decoder.numLayers);
  const ad = a.decoder;
  const bd = b.decoder;
  for (let i = 0; i < decLayers; i++) {
    const both = i < ad.numLayers && i < bd.numLayers;
    const p = `decoder.layer[${i}]`;
    if (!both || ad.selfHeads[i] !== bd.selfHeads[i]) operators.push(`${p}.selfAttn`);
    if (!both || ad.crossHeads[i] !== bd.crossHeads[i] || ad.crossLayers[i] !== bd.crossLayers[i])
      operators.push(`${p}.crossAttn`);
    if (!both || ad.ffnDim[i] !== bd.ffnDim[i]) operators.push(`${p}.ffn`);
  }
  return { count: operators.length, operators };
}
