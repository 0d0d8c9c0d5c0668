/**
 * Evaluating a set of subnets of one model: size (parameters and FLOPs, without embeddings as
 * HAT reports them), validation loss with the weights given, and optionally BLEU. One tidy row
 * per arch, ready for tables, figures and rank correlation.
 */
import type { TranslationData } from "../data/translation-data";
import { archFlops } from "../space/flops";
import { archKey } from "../space/arch-key";
import { archParams } from "../space/params";
import { sampleArch } from "../space/sample-arch";
import { largestArch, smallestArch } from "../space/named-archs";
import type { Arch, SearchSpace } from "../space/types";
import type { WeightSharingModel } from "../supernet/supernet";
import { Rng } from "../util/rng";
import { TranslationBleuOptions, evaluateBleu } from "./translation-bleu";
import { evaluateLoss } from "./validation-loss";

/** One evaluated subnet. */
export interface SubnetRow {
  readonly arch: string;
  readonly params: number;
  readonly flops: number;
  readonly validLoss: number;
  readonly perplexity: number;
  readonly bleu: number | null;
}

/** The largest, the smallest and `n - 2` distinct uniformly sampled archs, fixed by the seed. */
export function representativeArchs(space: SearchSpace, n: number, seed: number): Arch[] {
  if (!Number.isInteger(n) || n < 2) throw new Error(`representativeArchs: n must be an integer >= 2; got ${n}`);
  const rng = new Rng(seed);
  const archs = [largestArch(space), smallestArch(space)];
  const keys = new Set(archs.map(archKey));
  for (let tries = 0; archs.length < n && tries < 100 * n; tries++) {
    const a = sampleArch(space, rng);
    if (!keys.has(archKey(a))) {
      keys.add(archKey(a));
      archs.push(a);
    }
  }
  return archs;
}

/** Size of an arch as HAT reports it (no embeddings), with FLOPs for a 30-token sentence pair. */
export function archSize(space: SearchSpace, arch: Arch, vocabSize: number): { params: number; flops: number } {
  return {
    params: archParams(space, arch, vocabSize, { includeEmbeddings: false }),
    flops: archFlops(space, arch, { srcLen: 30, tgtLen: 30, vocabSize, includeEmbeddings: false }),
  };
}

/** Loss (and BLEU if `bleu` is given) of each arch with the model's weights. */
export async function evaluateSubnets(model: WeightSharingModel, archs: readonly Arch[], data: TranslationData, options: { bleu?: TranslationBleuOptions | null; space?: SearchSpace } = {}): Promise<SubnetRow[]> {
  const space = options.space ?? model.config.space;
  const rows: SubnetRow[] = [];
  // One arch at a time: only one arch's plain weights exist at once.
  for (const arch of archs) {
    const loss = await evaluateLoss(model, arch, data.validBatches);
    const bleu = options.bleu ? (await evaluateBleu(model, arch, data, options.bleu)).bleu : null;
    rows.push({ arch: archKey(arch), ...archSize(space, arch, data.tokenizer.vocabSize), validLoss: loss.loss, perplexity: loss.perplexity, bleu });
  }
  return rows;
}
