/**
 * The sufficient statistics of BLEU per segment, as sacreBLEU 2.x collects them
 * (sacrebleu/metrics/bleu.py, `_extract_reference_info` and `_compute_segment_statistics`):
 * hypothesis n-gram counts clipped by the maximum count of that n-gram in any one reference,
 * and the reference length closest to the hypothesis length, the shorter one on a tie.
 * Summing them over segments gives the corpus statistics, so a bootstrap resample is a re-sum.
 */

/** Sufficient statistics of BLEU for one segment, or summed over a corpus. */
export interface BleuStats {
  /** Hypothesis length in tokens. */
  readonly sysLen: number;
  /** Effective reference length: the reference length closest to `sysLen`, the shorter on a tie. */
  readonly refLen: number;
  /** Clipped n-gram matches per order, index 0 = unigrams. */
  readonly counts: readonly number[];
  /** Hypothesis n-grams per order. */
  readonly totals: readonly number[];
}

/** Statistics of each segment; trusts its arguments (at least one non-null reference per segment). */
export function _segmentStats(
  hypotheses: readonly string[],
  references: readonly (readonly (string | null)[])[],
  preprocess: (segment: string) => string[],
  order: number,
): BleuStats[] {
  return hypotheses.map((hypothesis, i) => {
    // null marks a missing reference (sacreBLEU's None); "" is a real, empty reference,
    // as in sacreBLEU since its pull request #175 (2.0 dropped "" too).
    const refs = references.map((stream) => stream[i]).filter((ref): ref is string => ref !== null);
    const refNgrams: Map<string, number>[] = Array.from({ length: order }, () => new Map());
    const refLens: number[] = [];
    for (const ref of refs) {
      const tokens = preprocess(ref);
      refLens.push(tokens.length);
      countNgrams(tokens, order).forEach((grams, n) => {
        for (const [gram, c] of grams) refNgrams[n].set(gram, Math.max(refNgrams[n].get(gram) ?? 0, c));
      });
    }
    const tokens = preprocess(hypothesis);
    const counts = new Array<number>(order).fill(0);
    const totals = new Array<number>(order).fill(0);
    countNgrams(tokens, order).forEach((grams, n) => {
      for (const [gram, c] of grams) {
        totals[n] += c;
        counts[n] += Math.min(c, refNgrams[n].get(gram) ?? 0);
      }
    });
    return { sysLen: tokens.length, refLen: closestRefLen(tokens.length, refLens), counts, totals };
  });
}

/** Element-wise sum of segment statistics: the corpus statistics. */
export function sumStats(stats: readonly BleuStats[], order: number): BleuStats {
  const counts = new Array<number>(order).fill(0);
  const totals = new Array<number>(order).fill(0);
  let sysLen = 0;
  let refLen = 0;
  for (const s of stats) {
    sysLen += s.sysLen;
    refLen += s.refLen;
    for (let n = 0; n < order; n++) {
      counts[n] += s.counts[n];
      totals[n] += s.totals[n];
    }
  }
  return { sysLen, refLen, counts, totals };
}

/** n-gram counts per order (index n-1); tokens hold no whitespace, so a space-joined key is unambiguous. */
function countNgrams(tokens: readonly string[], order: number): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= order; n++) {
    const grams = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      const gram = tokens.slice(i, i + n).join(" ");
      grams.set(gram, (grams.get(gram) ?? 0) + 1);
    }
    out.push(grams);
  }
  return out;
}

/** sacreBLEU's `_get_closest_ref_len`: the smallest |sysLen - len|, the shorter reference on a tie. */
function closestRefLen(sysLen: number, refLens: readonly number[]): number {
  let best = refLens[0];
  for (const len of refLens) {
    const diff = Math.abs(sysLen - len);
    const bestDiff = Math.abs(sysLen - best);
    if (diff < bestDiff || (diff === bestDiff && len < best)) best = len;
  }
  return best;
}
