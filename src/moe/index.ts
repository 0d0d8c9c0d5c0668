export * from "./config";
export * from "./moe-ffn";
