export * from "./config";
export * from "./moe-ffn";
export * from "./inspect";
