export * from "./batching";
export * from "./load";
export * from "./registry";
export * from "./statistics";
export * from "./translation-data";
export * from "./tokenizer/index";
export type { VersePair } from "./prepare/bible";
export type { LabelledSentence } from "./prepare/sentiment";
export * from "./bert/index";
