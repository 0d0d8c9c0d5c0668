/**
 * A one-line account of the backend in use, for the first cell of every notebook and the header
 * of every log: which backend, how many threads, and why each faster one was skipped.
 */
import { BlasStatus, blasCoreName } from "./blas";
import type { BackendReport } from "./select-backend";
import { describeAdapter } from "./webgpu";

/** One line saying which backend is in use and why the others were skipped. */
export function describeBackend(report: BackendReport): string {
  // A GPU's width is its adapter, not a thread count.
  const details = report.name === "webgpu" && report.adapter ? [describeAdapter(report.adapter)] : [`${report.threads} thread${report.threads === 1 ? "" : "s"}`];
  if (report.simd) details.push("SIMD");
  if (report.blas) details.push(describeBlas(report.blas));
  if (report.threadsNote) details.push(`threads: ${report.threadsNote}`);
  const skipped = report.reasons.filter((r) => r.outcome === "skipped").map((r) => `; skipped ${r.candidate}: ${r.why}`);
  return `backend: ${report.name} (${details.join(", ")})${skipped.join("")}`;
}

const coreSources = { environment: "from OPENBLAS_CORETYPE", "cpu flags": "chosen from the CPU flags", openblas: "OpenBLAS's own choice" } as const;

/** Where the products run; on OpenBLAS, which kernels (the core its config names) and who chose them. */
function describeBlas(blas: BlasStatus): string {
  if (!blas.used) return `matmul on wasm (${blas.why})`;
  const core = blasCoreName(blas.config);
  return core ? `matmul on OpenBLAS (${core} kernels, ${coreSources[blas.coreTypeSource ?? "openblas"]})` : "matmul on OpenBLAS";
}
