/**
 * supernet-lab: the library notebooks import (`import { ... } from "./src/index"`).
 * Each folder is one concept; this file only re-exports them.
 */
export * from "./backend/index";
export * from "./config/index";
export * from "./data/index";
export * from "./eval/index";
export * from "./ops/index";
export * from "./mos/index";
export * from "./moe/index";
export * from "./interference/index";
export * from "./sweep/index";
export * from "./estimator/index";
export * from "./report/index";
export * from "./search/index";
export * from "./space/index";
export * from "./stats/index";
export * from "./supernet/index";
export * from "./train/index";
export { Rng } from "./util/rng";
export { outputDir, preparedDir, projectRoot } from "./util/paths";
export { atomicWriteFile, atomicWriteJson } from "./util/atomic-write";
export type { RngState } from "./util/rng";
export { currentProvenance, codeRevision, revisionLabel, provenanceMismatch } from "./util/provenance";
export type { Provenance } from "./util/provenance";
