export * from "./spec";
export * from "./identity";
export * from "./jobs";
export * from "./record";
export * from "./run-sweep";
export * from "./status";
export * from "./sweep-error";
export type { SweepJobInput } from "./train-job";
