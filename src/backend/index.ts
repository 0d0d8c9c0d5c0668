export * from "./backend-name";
export * from "./native-backend";
export * from "./select-backend";
export * from "./describe-backend";
export * from "./wasm-kernels";
export * from "./wasm-threads";
export * from "./blas";
export * from "./webgpu";
