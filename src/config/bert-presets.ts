/**
 * Sizes of the BERT experiments per preset: which encoder-only space, the Brown tokenizer, how
 * the masked-LM data is packed and batched, and how long supernets train. `tiny` runs in CI in
 * seconds; `small` is the CPU main job. `paper` searches AutoDistil's Small super-LM (layers 9-12,
 * hidden 256-352, MLP ratio 2.5-4, 7-10 heads of size 64, homogeneous; Table 2) and trains far
 * longer; its Tiny and Base sub-spaces are `autodistil-tiny` and `autodistil-base`. The vocabulary
 * stays our Brown tokenizer's, so sizes with embeddings are far below the paper's 30522-token ones.
 */
import type { BertSpaceName } from "../space/bert-presets";
import type { PresetName } from "./preset";

/** Sizes of a BERT experiment. */
export interface BertPreset {
  readonly space: BertSpaceName;
  /** Prepared Brown tokenizer size. */
  readonly vocabSize: number;
  /** Longest packed sequence ([CLS] and [SEP] included). */
  readonly maxLen: number;
  /** Padded tokens per batch. */
  readonly maxTokens: number;
  /** Packed training / validation sequences kept (null = all). */
  readonly trainSequences: number | null;
  readonly validSequences: number | null;
  /** Sandwich updates of each supernet (3 subnet passes each). */
  readonly supernetUpdates: number;
  /** Subnets scored with inherited weights (masked-LM loss against parameters). */
  readonly scoredSubnets: number;
  /**
   * MoS-BERT's space (SuperShaper: a hidden size per layer between bottlenecks) for notebook 07's
   * plain-vs-MoS comparison there: the space, sandwich updates of each supernet, subnets scored.
   */
  readonly shaperSpace: BertSpaceName;
  readonly shaperUpdates: number;
  readonly shaperSubnets: number;
  /** Anchors of the gradient-similarity probe. */
  readonly probeAnchors: number;
  readonly lr: number;
  readonly warmupUpdates: number;
  /** Task-agnostic search (notebook 08): NAS-BERT bands searched, population and iterations. */
  readonly searchBands: readonly number[];
  readonly searchPopulation: number;
  readonly searchIterations: number;
  /** Fine-tuning of each found subnet: updates, batch size, peak learning rate, seeds. */
  readonly fineTuneUpdates: number;
  readonly fineTuneBatch: number;
  readonly fineTuneLr: number;
  readonly fineTuneSeeds: readonly number[];
  /**
   * Tasks beyond in-domain sentiment (names of src/data/bert/downstream-tasks.ts), fine-tuned on the
   * first searched band's subnet from scratch and extracted, with the same settings and seeds.
   * `small` leaves out next sentence (pairs, the longest inputs) to keep the main job inside its
   * hour; tiny (CI) and paper run it.
   */
  readonly downstreamTasks: readonly string[];
  /** Test examples scored per further task: a fixed seeded subset of larger test splits (null = all). */
  readonly downstreamTestLimit: number | null;
  /**
   * Ground truth for ranking (`npm run ground-truth -- --bert`): subnets of the stratified design,
   * each pretrained from scratch with masked LM for `groundTruthUpdates` with every seed.
   */
  readonly groundTruthSubnets: number;
  readonly groundTruthSeeds: readonly number[];
  readonly groundTruthUpdates: number;
}

/** The BERT presets (frozen). */
export const bertPresets: Readonly<Record<PresetName, BertPreset>> = Object.freeze({
  tiny: { space: "bert-tiny", vocabSize: 2000, maxLen: 64, maxTokens: 1024, trainSequences: 400, validSequences: 24, supernetUpdates: 40, scoredSubnets: 8, shaperSpace: "shaper-tiny", shaperUpdates: 30, shaperSubnets: 8, probeAnchors: 2, lr: 3e-3, warmupUpdates: 5, searchBands: [5, 60], searchPopulation: 10, searchIterations: 3, fineTuneUpdates: 60, fineTuneBatch: 32, fineTuneLr: 2e-3, fineTuneSeeds: [1, 2], downstreamTasks: ["sentiment-cross-domain-yelp", "brown-genre", "brown-next-sentence"], downstreamTestLimit: 1000, groundTruthSubnets: 12, groundTruthSeeds: [1, 2], groundTruthUpdates: 30 },
  small: { space: "bert-small", vocabSize: 2000, maxLen: 128, maxTokens: 1024, trainSequences: null, validSequences: 64, supernetUpdates: 60, scoredSubnets: 24, shaperSpace: "shaper-small", shaperUpdates: 40, shaperSubnets: 16, probeAnchors: 4, lr: 1e-3, warmupUpdates: 15, searchBands: [10, 60], searchPopulation: 16, searchIterations: 4, fineTuneUpdates: 64, fineTuneBatch: 16, fineTuneLr: 1e-3, fineTuneSeeds: [1, 2, 3], downstreamTasks: ["sentiment-cross-domain-yelp", "brown-genre"], downstreamTestLimit: 1000, groundTruthSubnets: 24, groundTruthSeeds: [1, 2], groundTruthUpdates: 200 },
  paper: { space: "autodistil-small", vocabSize: 2000, maxLen: 128, maxTokens: 4096, trainSequences: null, validSequences: null, supernetUpdates: 20000, scoredSubnets: 48, shaperSpace: "mos-bert", shaperUpdates: 20000, shaperSubnets: 48, probeAnchors: 16, lr: 5e-4, warmupUpdates: 1000, searchBands: [5, 10, 30, 60], searchPopulation: 125, searchIterations: 30, fineTuneUpdates: 3000, fineTuneBatch: 32, fineTuneLr: 5e-5, fineTuneSeeds: [1, 2, 3, 4, 5], downstreamTasks: ["sentiment-cross-domain-amazon", "sentiment-cross-domain-imdb", "sentiment-cross-domain-yelp", "brown-genre", "brown-next-sentence"], downstreamTestLimit: null, groundTruthSubnets: 48, groundTruthSeeds: [1, 2], groundTruthUpdates: 20000 },
});

/** BERT's masked LM is plain cross entropy over the masked positions (Devlin et al., 2019): no label smoothing. */
export const maskedLmLabelSmoothing = 0;

/** A warmup-cosine schedule over `updates` updates at the preset's learning rate. */
export function bertSchedule(preset: BertPreset, updates: number) {
  return { kind: "cosine" as const, lr: preset.lr, warmupInitLr: preset.lr / 100, warmupUpdates: Math.min(preset.warmupUpdates, Math.floor(updates / 4)), maxUpdates: updates, minLr: preset.lr / 10 };
}
