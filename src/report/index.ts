export * from "./figure-spec";
export * from "./kernel-display";
export * from "./png";
export * from "./progress";
export * from "./show-figure";
export * from "./table";
export * from "./published";
export * from "./results";
