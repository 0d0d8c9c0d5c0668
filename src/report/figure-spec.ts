/**
 * Figures are plain plotly specs (data + layout) returned by pure functions, so they can be
 * snapshot-tested on fixed data, saved as JSON, and rendered anywhere: in the Notebook UI, to a
 * standalone HTML file, or to PNG.
 */

/** A plotly trace: free-form, as plotly.js accepts it. */
export type Trace = Record<string, unknown>;

/** A plotly figure. */
export interface FigureSpec {
  readonly data: readonly Trace[];
  readonly layout: Record<string, unknown>;
}

/** Options shared by the figure builders. */
export interface FigureOptions {
  /** Figure title. */
  readonly title?: string;
  /** Axis titles. */
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Size in CSS pixels; the PNG is rendered at this size times the scale. */
  readonly width?: number;
  readonly height?: number;
  /** Log-scale axes. */
  readonly logX?: boolean;
  readonly logY?: boolean;
}

/** Frozen defaults for every figure. */
export const figureDefaults = Object.freeze({ width: 720, height: 420 });

/** A layout with the common options applied. */
export function baseLayout(options: FigureOptions = {}): Record<string, unknown> {
  return {
    title: options.title ? { text: options.title } : undefined,
    width: options.width ?? figureDefaults.width,
    height: options.height ?? figureDefaults.height,
    template: "plotly_white",
    margin: { l: 60, r: 20, t: options.title ? 50 : 20, b: 50 },
    xaxis: { title: { text: options.xTitle ?? "" }, type: options.logX ? "log" : undefined, zeroline: false },
    yaxis: { title: { text: options.yTitle ?? "" }, type: options.logY ? "log" : undefined, zeroline: false },
    font: { family: "DejaVu Sans, Arial, sans-serif", size: 13 },
    legend: { orientation: "h", y: -0.2 },
  };
}

/** A histogram of values. */
export function histogramFigure(values: readonly number[], options: FigureOptions & { bins?: number; name?: string } = {}): FigureSpec {
  return {
    data: [{ type: "histogram", x: values.slice(), nbinsx: options.bins ?? 40, name: options.name ?? "", marker: { color: "#4c78a8" } }],
    layout: { ...baseLayout(options), bargap: 0.05 },
  };
}

/** Overlaid histograms of several value sets. */
export function histogramsFigure(series: readonly { name: string; values: readonly number[] }[], options: FigureOptions & { bins?: number } = {}): FigureSpec {
  return {
    data: series.map((s) => ({ type: "histogram", x: s.values.slice(), name: s.name, opacity: 0.6, nbinsx: options.bins ?? 40 })),
    layout: { ...baseLayout(options), barmode: "overlay", bargap: 0.05 },
  };
}

/** One or more lines over a shared or per-series x. */
export function lineFigure(series: readonly { name: string; x: readonly number[]; y: readonly number[] }[], options: FigureOptions = {}): FigureSpec {
  return {
    data: series.map((s) => ({ type: "scatter", mode: "lines", name: s.name, x: s.x.slice(), y: s.y.slice() })),
    layout: baseLayout(options),
  };
}

/** How far a point's range reaches below and above it (an interval, or the spread of repeated measurements). */
export interface ErrorBars {
  readonly minus: readonly number[];
  readonly plus: readonly number[];
}

function errorBars(field: string, name: string, bars: ErrorBars | undefined, n: number): object | undefined {
  if (bars === undefined) return undefined;
  for (const [side, values] of [["minus", bars.minus], ["plus", bars.plus]] as const) {
    if (values.length !== n || values.some((v) => !(v >= 0))) throw new Error(`scatterFigure: series "${name}": ${field}.${side} must hold ${n} numbers >= 0 (one per point); got [${values.join(", ")}]`);
  }
  return { type: "data", symmetric: false, arrayminus: bars.minus.slice(), array: bars.plus.slice() };
}

/** Scatter plot of one or more point sets, with optional hover labels and error bars. */
export function scatterFigure(
  series: readonly { name: string; x: readonly number[]; y: readonly number[]; text?: readonly string[]; xError?: ErrorBars; yError?: ErrorBars }[],
  options: FigureOptions = {},
): FigureSpec {
  return {
    data: series.map((s) => ({
      type: "scatter", mode: "markers", name: s.name, x: s.x.slice(), y: s.y.slice(), text: s.text?.slice(), marker: { size: 8, opacity: 0.8 },
      error_x: errorBars("xError", s.name, s.xError, s.x.length), error_y: errorBars("yError", s.name, s.yError, s.y.length),
    })),
    layout: baseLayout(options),
  };
}

/** Grouped bar chart: one bar series per name over shared categories. */
export function barFigure(categories: readonly string[], series: readonly { name: string; y: readonly number[] }[], options: FigureOptions = {}): FigureSpec {
  return {
    data: series.map((s) => ({ type: "bar", name: s.name, x: categories.slice(), y: s.y.slice() })),
    layout: { ...baseLayout(options), barmode: "group" },
  };
}
