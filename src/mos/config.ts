/**
 * Options of a Mixture-of-Supernets (Jawahar et al., 2023): how many expert weights each FFN
 * matrix has, how the router mixes them (one weight per expert for the whole matrix, or one per
 * expert and output neuron), and the router's size.
 */

/** Layer-wise: W(a) = sum_i alpha_i(a) E_i. Neuron-wise: each output neuron j mixes with its own alpha_ij(a). */
export type MosGranularity = "layer" | "neuron";

/** Mixture-of-Supernets options. */
export interface MosOptions {
  /** Expert matrices per FFN weight (m); 1 reduces exactly to the plain supernet. */
  readonly numExperts: number;
  readonly granularity: MosGranularity;
  /** Hidden width of the router MLP (Linear(10 -> hidden) -> ReLU -> Linear(hidden -> m or m x out)). */
  readonly routerHidden: number;
  /** Dropout on the router's hidden layer during training. */
  readonly routerDropout: number;
}

/** The paper's defaults: 2 experts, a 128-wide router, no router dropout. */
export const mosDefaults: MosOptions = Object.freeze({ numExperts: 2, granularity: "layer", routerHidden: 128, routerDropout: 0 });

/** Options with defaults filled in, validated: errors name the field and the allowed range. */
export function makeMosOptions(overrides: Partial<MosOptions> = {}): MosOptions {
  const o: MosOptions = { ...mosDefaults, ...overrides };
  if (!Number.isInteger(o.numExperts) || o.numExperts < 1 || o.numExperts > 16) throw new Error(`mos: numExperts must be an integer in [1, 16]; got ${o.numExperts}`);
  if (o.granularity !== "layer" && o.granularity !== "neuron") throw new Error(`mos: granularity must be "layer" or "neuron"; got "${o.granularity}"`);
  if (!Number.isInteger(o.routerHidden) || o.routerHidden < 1) throw new Error(`mos: routerHidden must be a positive integer; got ${o.routerHidden}`);
  if (!(o.routerDropout >= 0 && o.routerDropout < 1)) throw new Error(`mos: routerDropout must be in [0, 1); got ${o.routerDropout}`);
  return o;
}
