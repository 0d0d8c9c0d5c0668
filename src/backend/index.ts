export * from "./select-backend";
export * from "./wasm-kernels";
