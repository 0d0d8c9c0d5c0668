/**
 * Token-routing options of AutoMoE's mixture-of-experts layers (Jawahar et al., 2022; code
 * microsoft/AutoMoE, fairseq/modules/switch_layer.py, a port of the Switch Transformer layer):
 * how many tokens an expert may take, whether overflow is dropped, and the weight of the
 * load-balancing loss. The per-arch choices (experts per layer, their widths, top-k) live in the
 * search space; these are fixed for a supernet.
 */

/** Routing options of every MoE layer of a model. */
export interface MoeOptions {
  /**
   * An expert takes at most floor(capacityFactor x tokens x k / n) tokens of a batch (AutoMoE:
   * int(capacity_factor * tokens / n) for top-1). Default 1.0, as in the released configs.
   */
  readonly capacityFactor: number;
  /** Drop tokens over an expert's capacity (they pass through the residual only). AutoMoE: false. */
  readonly dropTokens: boolean;
  /**
   * Weight of the load-balancing loss n * sum_i f_i * P_i (Switch Transformer), averaged over the
   * arch's mixture-of-experts layers and added to the token-mean training loss. AutoMoE: 0.01 in
   * its MoE configs, 0 in the released full pipeline. Its code differs in three ways we do not
   * follow: it returns n^2 * sum f_i P_i, pools counts over layers (which its own TODO notes
   * breaks when layers have different expert counts), and adds the term to the token-SUMMED loss
   * that fairseq then divides by the batch's tokens (an effective weight of coef / tokens). We
   * keep the Switch form, whose minimum is 1 at perfect balance whatever n.
   */
  readonly balanceLossCoef: number;
}

/** What a layer's router did on a batch, for statistics and the balance loss. */
export interface MoeLayerStats {
  /** Tokens the layer saw (batch x time, padding included). */
  readonly tokens: number;
  /** (token, expert) assignments each expert received before capacity, and how many it dropped. */
  readonly assigned: readonly number[];
  readonly dropped: readonly number[];
  /** Mean router probability of each expert over the tokens. */
  readonly meanProb: readonly number[];
  /** Mean entropy (nats) of the tokens' router distributions; log n is uniform. */
  readonly entropy: number;
  /** Each token's first-choice expert, or -1 where capacity dropped it (token-major over batch x time). */
  readonly firstChoice: Int32Array;
}

/** The Switch balance loss n * sum_i f_i * P_i of a layer, from its statistics (f_i from assignments before capacity). */
export function balanceFromStats(stats: MoeLayerStats): number {
  const n = stats.assigned.length;
  const total = stats.assigned.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : n * stats.assigned.reduce((s, a, i) => s + (a / total) * stats.meanProb[i], 0);
}

/** AutoMoE's MoE-config defaults: capacity 1.0, no dropping, balance loss 0.01. */
export const moeDefaults: MoeOptions = Object.freeze({ capacityFactor: 1, dropTokens: false, balanceLossCoef: 0.01 });

/** Options with defaults filled in, validated: errors name the field and the allowed range. */
export function makeMoeOptions(overrides: Partial<MoeOptions> = {}): MoeOptions {
  const o: MoeOptions = { ...moeDefaults, ...overrides };
  if (!(o.capacityFactor > 0 && Number.isFinite(o.capacityFactor))) throw new Error(`moe: capacityFactor must be a finite number > 0; got ${o.capacityFactor}`);
  if (typeof o.dropTokens !== "boolean") throw new Error(`moe: dropTokens must be true or false; got ${String(o.dropTokens)}`);
  if (!(o.balanceLossCoef >= 0 && Number.isFinite(o.balanceLossCoef))) throw new Error(`moe: balanceLossCoef must be a finite number >= 0; got ${o.balanceLossCoef}`);
  return o;
}
