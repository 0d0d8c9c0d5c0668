export * from "./budget";
export * from "./evolution";
export * from "./fitness";
export * from "./latency";
export * from "./latency-predictor";
export * from "./random-search";
export * from "./equal-cost";
export * from "./parameter-bands";
