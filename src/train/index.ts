export * from "./adam";
export * from "./gradients";
export * from "./schedule";
export * from "./trainer";
export * from "./run-training";
export * from "./checkpoint/index";
export * from "./standalone";
export * from "./train-supernet";
