export * from "./preset";
export * from "./translation-presets";
export * from "./bert-presets";
