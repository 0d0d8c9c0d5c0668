/**
 * The record MAGIC-A (Xu et al., ICML 2022) keeps of its anchor: one row for the initial anchor
 * and one per offer (candidate and anchor both scored on dev with the same weights), and a pure
 * summary of it. The summary answers whether the "best child seen on dev" ever differed from
 * the initial anchor: when the initial anchor is the largest subnet and never loses, MAGIC-A is in
 * effect in-place distillation from the largest subnet, and a study should say so.
 */

/** One row of the anchor record: the initial anchor (step 0) or one offer. */
export interface AnchorRecord {
  /** Update after which the offer was made; 0 for the initial anchor. */
  readonly step: number;
  readonly kind: "initial" | "offer";
  /** Arch key of the offered child (the initial anchor itself on the initial row). */
  readonly candidate: string;
  /** Dev loss of the candidate; NaN on the initial row, which is set before training and not scored. */
  readonly candidateLoss: number;
  /** Arch key of the anchor the candidate was compared with. */
  readonly anchor: string;
  /** Dev loss of that anchor, with the same weights and batches as the candidate; NaN on the initial row. */
  readonly anchorLoss: number;
  /** Whether the candidate replaced the anchor. */
  readonly changed: boolean;
  /** Arch key of the anchor from this row on (the candidate when `changed`). */
  readonly arch: string;
}

/** What happened to the anchor over a run. */
export interface AnchorSummary {
  readonly offers: number;
  /** Offers in which the candidate replaced the anchor. */
  readonly changes: number;
  /** Different archs that were anchor at some point, the initial one included. */
  readonly distinctAnchors: number;
  /** Updates counted (1 to `updates`). */
  readonly steps: number;
  /** Updates whose alignment target was the largest subnet. */
  readonly largestSteps: number;
  /** Fraction of offers the anchor kept its place (NaN without offers). */
  readonly anchorWinFraction: number;
  readonly initialAnchor: string;
  readonly finalAnchor: string;
  readonly initialIsLargest: boolean;
  /** Whether any offer ever replaced the initial anchor. */
  readonly leftInitial: boolean;
}

/**
 * Summarises an anchor record. Update t (1-based) aligns to the anchor set by the last row with
 * step < t, since an offer after update s changes the target from update s + 1 on; updates are
 * counted up to `updates` (default: the step of the last row).
 */
export function anchorSummary(history: readonly AnchorRecord[], largestKey: string, updates?: number): AnchorSummary {
  if (history.length === 0 || history[0].kind !== "initial") throw new Error(`anchorSummary: history[0].kind must be "initial"; got ${history.length === 0 ? "an empty history" : `"${history[0].kind}"`}`);
  for (let i = 1; i < history.length; i++) {
    if (history[i].kind !== "offer") throw new Error(`anchorSummary: history[${i}].kind must be "offer"; got "${history[i].kind}"`);
    if (history[i].step < history[i - 1].step) throw new Error(`anchorSummary: history[${i}].step must be >= ${history[i - 1].step}; got ${history[i].step}`);
  }
  const last = history[history.length - 1];
  const steps = updates ?? last.step;
  if (!Number.isInteger(steps) || steps < last.step) throw new Error(`anchorSummary: updates must be an integer >= ${last.step} (the last offer's step); got ${updates}`);
  const offers = history.slice(1);
  let largestSteps = 0;
  history.forEach((row, i) => {
    const until = i + 1 < history.length ? history[i + 1].step : steps;
    if (row.arch === largestKey) largestSteps += until - row.step;
  });
  const changes = offers.filter((r) => r.changed).length;
  return {
    offers: offers.length,
    changes,
    distinctAnchors: new Set(history.map((r) => r.arch)).size,
    steps,
    largestSteps,
    anchorWinFraction: offers.length === 0 ? NaN : (offers.length - changes) / offers.length,
    initialAnchor: history[0].arch,
    finalAnchor: last.arch,
    initialIsLargest: history[0].arch === largestKey,
    leftInitial: history.some((r) => r.arch !== history[0].arch),
  };
}

/** One sentence on the anchor for a study's text, naming the in-place-distillation case when it holds. */
export function describeAnchors(s: AnchorSummary): string {
  const won = Number.isNaN(s.anchorWinFraction) ? "no offers were made" : `the anchor won ${Math.round(100 * s.anchorWinFraction)}% of ${s.offers} offers`;
  if (s.initialIsLargest && !s.leftInitial) return `The anchor never left the largest subnet (${won}): MAGIC-A here amounts to in-place distillation from the largest subnet.`;
  return `The anchor changed ${s.changes} times among ${s.distinctAnchors} distinct archs (${won}); it was the largest subnet for ${s.largestSteps} of ${s.steps} updates.`;
}
