/**
 * The supernet as an estimator: how well the ranking of subnets by inherited-weight validation
 * loss agrees with their ranking after training from scratch (Kendall tau-b and Spearman with
 * 95% intervals on the Fisher z scale, Bonett & Wright 2000; see src/stats/fisher-interval.ts),
 * and the gap between the two losses per subnet. Two estimators of the same subnets are compared
 * by the difference of their taus, paired over the subnets.
 */
import type { TranslationBatch } from "../data/batching";
import type { SubnetRow } from "../eval/subnet-table";
import { evaluateLoss } from "../eval/validation-loss";
import { archFromKey, archKey } from "../space/arch-key";
import { archParams } from "../space/params";
import type { Arch } from "../space/types";
import type { SweepRecord } from "../sweep/record";
import { kendallInterval, spearmanInterval } from "../stats/fisher-interval";
import { kendallTauB } from "../stats/kendall";
import type { BootstrapOptions } from "../stats/bootstrap";
import { kendallDifference, type KendallDifference } from "../stats/rank-correlation";
import { spearman } from "../stats/spearman";
import type { WeightSharingModel } from "../supernet/supernet";

/** One subnet's inherited and standalone losses. */
export interface GapRow {
  readonly arch: string;
  readonly params: number;
  readonly inheritedLoss: number;
  readonly standaloneLoss: number;
  readonly gap: number;
}

/** A subnet's loss with inherited weights and its size without embeddings (as HAT reports it). */
export type InheritedRow = Pick<SubnetRow, "arch" | "params" | "validLoss">;

/** Inherited validation losses of `archs` under `model` on `batches` (translation or masked-LM), one arch at a time. */
export async function inheritedLosses(model: WeightSharingModel, archs: readonly Arch[], batches: readonly TranslationBatch[]): Promise<InheritedRow[]> {
  const rows: InheritedRow[] = [];
  for (const arch of archs) {
    const { loss } = await evaluateLoss(model, arch, batches);
    rows.push({ arch: archKey(arch), params: archParams(model.config.space, arch, model.config.vocabSize, { includeEmbeddings: false }), validLoss: loss });
  }
  return rows;
}

/** Inherited losses of the sweep's subnets under `model`, paired with their standalone losses (mean over seeds). */
export async function gapRows(model: WeightSharingModel, records: readonly SweepRecord[], data: { readonly validBatches: readonly TranslationBatch[] }): Promise<GapRow[]> {
  const archs = [...new Set(records.map((r) => r.job.arch))];
  return pairWithStandalone(await inheritedLosses(model, archs.map((k) => archFromKey(k, model.config.space)), data.validBatches), records);
}

/** Inherited subnet rows (e.g. a part-way snapshot) paired with the sweep's standalone losses (mean over seeds); every row's arch must be in the sweep. */
export function pairWithStandalone(inherited: readonly InheritedRow[], records: readonly SweepRecord[]): GapRow[] {
  const byArch = new Map<string, number[]>();
  for (const r of records) byArch.set(r.job.arch, [...(byArch.get(r.job.arch) ?? []), r.result.validLoss]);
  return inherited.map((row) => {
    const losses = byArch.get(row.arch);
    if (!losses) throw new Error(`pairWithStandalone: subnet ${row.arch} has no standalone result in the sweep`);
    const standaloneLoss = losses.reduce((a, b) => a + b, 0) / losses.length;
    return { arch: row.arch, params: row.params, inheritedLoss: row.validLoss, standaloneLoss, gap: standaloneLoss - row.validLoss };
  });
}

/** Rank agreement between inherited and standalone losses, with 95% intervals; [-1, 1] (no information) below 5 subnets. */
export function rankAgreement(rows: readonly GapRow[]): { kendall: number; spearman: number; kendallCi: [number, number]; spearmanCi: [number, number]; n: number; meanGap: number } {
  const x = rows.map((g) => g.inheritedLoss);
  const y = rows.map((g) => g.standaloneLoss);
  const n = rows.length;
  const kendall = kendallTauB(x, y);
  const rho = spearman(x, y);
  return {
    kendall,
    spearman: rho,
    kendallCi: n >= 5 ? kendallInterval(kendall, n) : [-1, 1],
    spearmanCi: n >= 4 ? spearmanInterval(rho, n) : [-1, 1],
    n,
    meanGap: rows.reduce((a, g) => a + g.gap, 0) / n,
  };
}

/** How much better one estimator ranks the same subnets than another. */
export interface PairedAgreementDifference {
  /** The estimator with the higher Kendall tau of the two. */
  readonly method: string;
  readonly versus: string;
  /** tau(method) - tau(versus) against the same standalone losses, with its paired bootstrap interval. */
  readonly difference: KendallDifference;
}

/**
 * Every pair of estimators (supernets, training methods), the higher Kendall tau first: the
 * difference of their taus with the standalone losses, on the same bootstrap resamples of the
 * subnets. Every estimator must have scored the same subnets against the same standalone losses.
 */
export function pairedAgreementDifferences(estimators: readonly { readonly method: string; readonly rows: readonly GapRow[] }[], options: BootstrapOptions): PairedAgreementDifference[] {
  if (estimators.length < 2) throw new Error(`pairedAgreementDifferences: needs at least 2 estimators; got ${estimators.length}`);
  const [first] = estimators;
  const archs = first.rows.map((r) => r.arch);
  const truth = first.rows.map((r) => r.standaloneLoss);
  const scores = estimators.map((e) => {
    const byArch = new Map(e.rows.map((r) => [r.arch, r]));
    if (byArch.size !== archs.length || e.rows.length !== archs.length) throw new Error(`pairedAgreementDifferences: ${e.method} scored ${e.rows.length} subnets, ${first.method} ${archs.length}; both must score the same subnets once`);
    return archs.map((a, i) => {
      const row = byArch.get(a);
      if (row === undefined) throw new Error(`pairedAgreementDifferences: ${e.method} did not score subnet ${a}, which ${first.method} scored`);
      if (row.standaloneLoss !== truth[i]) throw new Error(`pairedAgreementDifferences: subnet ${a} has standalone loss ${row.standaloneLoss} under ${e.method} and ${truth[i]} under ${first.method}; both must be ranked against one ground truth`);
      return row.inheritedLoss;
    });
  });
  const taus = scores.map((x) => kendallTauB(x, truth));
  const out: PairedAgreementDifference[] = [];
  for (let i = 0; i < estimators.length; i++) {
    for (let j = i + 1; j < estimators.length; j++) {
      const [hi, lo] = taus[i] >= taus[j] ? [i, j] : [j, i];
      out.push({ method: estimators[hi].method, versus: estimators[lo].method, difference: kendallDifference(scores[hi], scores[lo], truth, options) });
    }
  }
  return out;
}
