export * from "./methods";
export * from "./rank-agreement";
