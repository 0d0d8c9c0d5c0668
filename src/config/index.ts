export * from "./preset";
export * from "./translation-presets";
