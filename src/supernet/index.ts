export * from "./config";
export * from "./params";
export * from "./forward";
export * from "./loss";
export * from "./supernet";
export { attention, causalBias, paddingBias } from "./attention";
export { encode, crossMemory, scaledRate } from "./encoder";
export { decode, outputLogits } from "./decoder";
