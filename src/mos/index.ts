export * from "./config";
export * from "./params";
export * from "./router";
export * from "./generate";
export * from "./mos-supernet";
export * from "./collapse";
export * from "./inspect";
