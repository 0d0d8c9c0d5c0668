/**
 * Options of a Mixture-of-Supernets (Jawahar et al., 2023): how many experts each FFN matrix
 * has, how the router mixes them, and the router's size, regularisation, initialisation and
 * input. Each option says where its default comes from: the authors' machine-translation
 * release (UBC-NLP/MoS, mos-mt/fairseq/models/transformer_super.py, "MT"), their BERT release
 * (mos-bert/custom_layers/custom_bert.py, "BERT"), or our own choice, with the reason.
 *
 * Note on the MT release: its pipeline script (mos-mt/generate_script.py) also passes
 * `--encoder-n-experts 1..6`, which makes transformer_super.py build token-routed Switch FFNs
 * (the AutoMoE branch) instead of the MoS mixture; we follow the MoS branch of that file.
 */

/** Layer-wise: W(a) = sum_i alpha_i(a) E_i. Neuron-wise: each output neuron j mixes with its own alpha_ij(a). */
export type MosGranularity = "layer" | "neuron";

/**
 * How routers start. "release": as both releases (torch.nn.Linear's default init for the
 * hidden layer and the layer-wise output; Xavier-uniform weights and zero bias for the
 * neuron-wise output, a LinearSuper). "uniform": ours, zero output weights and bias, so every
 * arch starts from the equal mixture and routing is learned from there.
 */
export type RouterInit = "release" | "uniform";

/**
 * Divisors of the router's 10 HAT features. "space": ours, each feature divided by the space's
 * largest choice, so features lie in (0, 1] whatever the space. "hat": the MT release's
 * hard-coded [640, 6, 2048, 6, 640, 6, 2048, 6, 6, 2], fitted to WMT'14 space0; on our small
 * spaces it would squeeze every feature near 0.
 */
export type RouterFeatureNorms = "space" | "hat";

/** Mixture-of-Supernets options. */
export interface MosOptions {
  /** Experts per FFN matrix (m); 1 reduces exactly to the plain supernet. MT: up to 6 (`--max-experts 6`); BERT: 2. */
  readonly numExperts: number;
  /** MT and BERT releases: neuron-wise (`neuronrouting_jack_drop_2L` / `neuronrouting_jack_2L`). */
  readonly granularity: MosGranularity;
  /** Router hidden width, Linear(10 -> hidden) -> ReLU -> Linear(hidden -> m [x neurons]). MT script and BERT: 128. */
  readonly routerHidden: number;
  /** Dropout after the router's ReLU in training. MT: 0.1 (the `_drop_2L` router); BERT: 0 (commented out). */
  readonly routerDropout: number;
  readonly routerInit: RouterInit;
  readonly featureNorms: RouterFeatureNorms;
}

/**
 * Defaults: the MT release's router (neuron-wise, hidden 128, dropout 0.1, release init) with
 * the BERT release's 2 experts (MT goes up to 6; 2 keeps CPU training affordable) and features
 * normalised by the space (ours: see RouterFeatureNorms).
 */
export const mosDefaults: MosOptions = Object.freeze({ numExperts: 2, granularity: "neuron", routerHidden: 128, routerDropout: 0.1, routerInit: "release", featureNorms: "space" });

/** The MT release's settings as published in its pipeline script: 6 experts, neuron-wise, dropout 0.1, HAT's feature norms. */
export const mosMtRelease: MosOptions = Object.freeze({ numExperts: 6, granularity: "neuron", routerHidden: 128, routerDropout: 0.1, routerInit: "release", featureNorms: "hat" });

/** The BERT release's example run: 2 experts, neuron-wise, hidden 128, no router dropout. */
export const mosBertRelease: MosOptions = Object.freeze({ numExperts: 2, granularity: "neuron", routerHidden: 128, routerDropout: 0, routerInit: "release", featureNorms: "space" });

/** Options with defaults filled in, validated: errors name the field and the allowed range. */
export function makeMosOptions(overrides: Partial<MosOptions> = {}): MosOptions {
  const o: MosOptions = { ...mosDefaults, ...overrides };
  if (!Number.isInteger(o.numExperts) || o.numExperts < 1 || o.numExperts > 16) throw new Error(`mos: numExperts must be an integer in [1, 16]; got ${o.numExperts}`);
  if (o.granularity !== "layer" && o.granularity !== "neuron") throw new Error(`mos: granularity must be "layer" or "neuron"; got "${o.granularity}"`);
  if (!Number.isInteger(o.routerHidden) || o.routerHidden < 1) throw new Error(`mos: routerHidden must be a positive integer; got ${o.routerHidden}`);
  if (!(o.routerDropout >= 0 && o.routerDropout < 1)) throw new Error(`mos: routerDropout must be in [0, 1); got ${o.routerDropout}`);
  if (o.routerInit !== "release" && o.routerInit !== "uniform") throw new Error(`mos: routerInit must be "release" or "uniform"; got "${o.routerInit}"`);
  if (o.featureNorms !== "space" && o.featureNorms !== "hat") throw new Error(`mos: featureNorms must be "space" or "hat"; got "${o.featureNorms}"`);
  return o;
}

/** Where each default comes from, per option. */
export const mosOptionSources: Readonly<Record<keyof MosOptions, string>> = Object.freeze({
  numExperts: "MT: --max-experts 6 (generate_script.py); BERT: 2 (README); ours: 2, for CPU cost",
  granularity: "MT and BERT: neuron-wise routers",
  routerHidden: "MT: 128 (generate_script.py; argparse default 64); BERT: 128",
  routerDropout: "MT: 0.1 after the ReLU (neuronrouting_jack_drop_2L); BERT: none",
  routerInit: "both releases: torch defaults, LinearSuper (Xavier, zero bias) for neuron-wise outputs",
  featureNorms: "MT: hard-coded WMT norms; BERT reads 12 per-layer hidden sizes instead; ours: the space's maxima",
});

/** This model's options beside both releases', with the source of each (for notebooks stating their settings). */
export function mosSettingsTable(options: MosOptions): { option: string; thisRun: string; mtRelease: string; bertRelease: string; source: string }[] {
  return (Object.keys(mosDefaults) as (keyof MosOptions)[]).map((k) => ({
    option: k,
    thisRun: String(options[k]),
    mtRelease: String(mosMtRelease[k]),
    bertRelease: k === "featureNorms" ? "n/a" : String(mosBertRelease[k]),
    source: mosOptionSources[k],
  }));
}
