export * from "./mat-mul";
export * from "./linear";
export * from "./batch-mat-mul";
export * from "./slice-block";
