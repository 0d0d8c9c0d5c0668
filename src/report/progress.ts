/**
 * Progress for long loops (training, sweeps, search): steps done, rate, ETA and the latest
 * metrics. In the notebook one display is updated in place (Jupyter update_display_data), so a
 * stored notebook holds only its final state; elsewhere a line is printed at most every few
 * seconds. Updates are throttled so a fast loop does not pay for its own progress bar.
 */
import { randomBytes } from "crypto";
import { displayBundle, inNotebook } from "./kernel-display";

/** Options of a progress display. */
export interface ProgressOptions {
  /** What is being counted, e.g. "train". */
  readonly label?: string;
  /** Unit of the rate, e.g. "steps" or "tok". */
  readonly unit?: string;
  /** Minimum milliseconds between redraws (default 500 in a notebook, 5000 in a terminal). */
  readonly intervalMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** A running progress display. */
export interface Progress {
  /** Reports that `done` of `total` are finished, with optional metrics to show. */
  update(done: number, metrics?: Record<string, number>): void;
  /** Final redraw. */
  finish(metrics?: Record<string, number>): void;
}

/** Formats seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** The one-line text of a progress state. */
export function progressLine(label: string, done: number, total: number, elapsedS: number, unit: string, metrics: Record<string, number> = {}): string {
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const eta = rate > 0 ? (total - done) / rate : NaN;
  const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
  const width = 24;
  const filled = Math.round((width * pct) / 100);
  const bar = "█".repeat(filled) + "·".repeat(width - filled);
  const m = Object.entries(metrics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join("  ");
  return `${label} ${bar} ${done}/${total} (${pct}%)  ${rate.toFixed(rate < 10 ? 2 : 0)} ${unit}/s  elapsed ${formatDuration(elapsedS)}  eta ${formatDuration(eta)}${m ? "  " + m : ""}`;
}

/** Starts a progress display for `total` units of work. */
export function progress(total: number, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const label = options.label ?? "progress";
  const unit = options.unit ?? "it";
  const notebook = inNotebook();
  const interval = options.intervalMs ?? (notebook ? 500 : 5000);
  const id = randomBytes(8).toString("hex");
  const start = now();
  let last = -Infinity;
  let shown = false;
  const draw = (done: number, metrics?: Record<string, number>) => {
    const line = progressLine(label, done, total, (now() - start) / 1000, unit, metrics);
    if (notebook) {
      displayBundle({ "text/plain": line }, id, shown);
    } else {
      process.stderr.write(line + "\n");
    }
    shown = true;
  };
  return {
    update(done, metrics) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      draw(done, metrics);
    },
    finish(metrics) {
      draw(total, metrics);
    },
  };
}

/**
 * Lets pending display messages go out: a long loop awaits this between steps, because a
 * notebook kernel only sends while the event loop turns.
 */
export function yieldToDisplays(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
