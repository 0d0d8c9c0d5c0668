export * from "./methods";
export * from "./rank-agreement";
export * from "./ground-truth";
export * from "./ground-truth-spec";
export * from "./method-findings";
