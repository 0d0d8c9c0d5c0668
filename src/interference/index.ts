export * from "./operators";
export * from "./similarity";
export * from "./gradient-probe";
export * from "./observations";
export * from "./magic-t";
export * from "./magic-a";
export * from "./anchor-history";
