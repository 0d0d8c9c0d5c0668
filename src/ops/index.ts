export * from "./mat-mul";
export * from "./linear";
export * from "./batch-mat-mul";
export * from "./slice-block";
export * from "./mix-experts";
export * from "./add-many";
export * from "./softmax-cross-entropy";
export * from "./layer-norm";
