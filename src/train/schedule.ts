/**
 * Learning-rate schedules used by HAT and fairseq: linear warmup from `warmupInitLr` to `lr`,
 * then cosine decay to `minLr` over the remaining updates, or inverse-square-root decay.
 */

/** A learning-rate schedule. */
export interface ScheduleConfig {
  readonly kind: "cosine" | "inverse-sqrt" | "constant";
  /** Peak learning rate, reached at the end of warmup. */
  readonly lr: number;
  /** Learning rate of the first update. */
  readonly warmupInitLr: number;
  /** Updates of linear warmup. */
  readonly warmupUpdates: number;
  /** Total updates (cosine decays to minLr at this step). */
  readonly maxUpdates: number;
  /** Floor of the cosine schedule. */
  readonly minLr: number;
}

/** The learning rate at update `step` (0-based). */
export function learningRate(s: ScheduleConfig, step: number): number {
  if (step < s.warmupUpdates) {
    return s.warmupInitLr + ((s.lr - s.warmupInitLr) * (step + 1)) / s.warmupUpdates;
  }
  switch (s.kind) {
    case "constant":
      return s.lr;
    case "inverse-sqrt":
      return s.lr * Math.sqrt(Math.max(1, s.warmupUpdates) / (step + 1));
    case "cosine": {
      const span = Math.max(1, s.maxUpdates - s.warmupUpdates);
      const t = Math.min(1, (step - s.warmupUpdates) / span);
      return s.minLr + 0.5 * (s.lr - s.minLr) * (1 + Math.cos(Math.PI * t));
    }
  }
}

/** Throws an error naming the field for an invalid schedule. */
export function validateSchedule(s: ScheduleConfig): void {
  if (!["cosine", "inverse-sqrt", "constant"].includes(s.kind)) throw new Error(`schedule.kind must be cosine, inverse-sqrt or constant; got "${s.kind}"`);
  for (const key of ["lr", "warmupInitLr", "minLr"] as const) {
    if (!(s[key] >= 0 && Number.isFinite(s[key]))) throw new Error(`schedule.${key} must be a finite number >= 0; got ${s[key]}`);
  }
  if (!Number.isInteger(s.warmupUpdates) || s.warmupUpdates < 0) throw new Error(`schedule.warmupUpdates must be an integer >= 0; got ${s.warmupUpdates}`);
  if (!Number.isInteger(s.maxUpdates) || s.maxUpdates < 1) throw new Error(`schedule.maxUpdates must be an integer >= 1; got ${s.maxUpdates}`);
}
