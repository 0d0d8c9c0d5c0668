/**
 * The machine's peak fp32 GFLOP/s, the denominator of "how much of the CPU does a matmul use":
 * measured by compiling bench/peak-fma.c with gcc -O3 -march=native in a temporary folder and
 * running it on every core, or, without gcc, design.md §6's figure of ~115 GFLOP/s per core.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** design.md §6: FMA-loop peak per core measured on this machine kind. */
export const designPeakPerCore = 115;

/** A peak figure and where it comes from. */
export interface PeakFlops {
  /** GFLOP/s on all `threads` threads. */
  readonly gflops: number;
  readonly gflopsOneThread: number;
  readonly threads: number;
  readonly source: "measured" | "design.md";
  /** Vector ISA of the measured loop, or why it was not measured. */
  readonly detail: string;
}

/** Measures the peak with gcc when it can, else returns the design figure. */
export function peakFlops(threads: number): PeakFlops {
  const fallback = (why: string): PeakFlops => ({
    gflops: designPeakPerCore * threads,
    gflopsOneThread: designPeakPerCore,
    threads,
    source: "design.md",
    detail: `design.md §6 figure (${designPeakPerCore} GFLOP/s per core); not measured: ${why}`,
  });
  const gcc = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (gcc.error || gcc.status !== 0) return fallback("gcc not found");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "supernet-peak-"));
  try {
    const exe = path.join(dir, "peak-fma");
    const build = spawnSync("gcc", ["-O3", "-march=native", "-pthread", path.join(__dirname, "peak-fma.c"), "-o", exe], { encoding: "utf8", timeout: 60_000 });
    if (build.status !== 0) return fallback(`gcc failed: ${(build.stderr ?? "").trim().split("\n")[0]}`);
    const run = spawnSync(exe, [String(threads)], { encoding: "utf8", timeout: 60_000 });
    if (run.status !== 0) return fallback(`peak-fma failed with status ${run.status}`);
    const r = JSON.parse(run.stdout.trim()) as { isa: string; lanes: number; threads: number; gflops1: number; gflopsAll: number };
    return { gflops: r.gflopsAll, gflopsOneThread: r.gflops1, threads: r.threads, source: "measured", detail: `FMA loop, ${r.isa} (${r.lanes} lanes), gcc -O3 -march=native` };
  } catch (err) {
    return fallback((err as Error).message);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
