export * from "./bleu/index";
export * from "./validation-loss";
