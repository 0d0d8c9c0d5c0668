export { averageRanks } from "./ranks";
export { pearson } from "./pearson";
export { spearman } from "./spearman";
export { kendallTauB } from "./kendall";
export { bootstrapCi, BOOTSTRAP_DEFAULTS } from "./bootstrap";
export type { BootstrapOptions } from "./bootstrap";
export { rankCorrelationWithCi } from "./rank-correlation";
export type { RankCorrelation } from "./rank-correlation";
export { kendallInterval, spearmanInterval, normalQuantile } from "./fisher-interval";
