export * from "./checkpoint";
export * from "./format";
