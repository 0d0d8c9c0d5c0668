export * from "./bleu/index";
export * from "./validation-loss";
export * from "./decode";
export * from "./translation-bleu";
export * from "./subnet-table";
