/**
 * Tables in notebooks: arquero tables, danfojs DataFrames or plain row objects become one HTML
 * table (with a plain-text twin for logs and tests). Numbers are formatted to a fixed number of
 * significant digits so that stored outputs stay readable and diff cleanly.
 */
import { showHtml } from "./kernel-display";

/** A row of a tidy table. */
export type Row = Record<string, unknown>;

/** Options for rendering a table. */
export interface TableOptions {
  /** Caption shown above the table. */
  readonly title?: string;
  /** Significant digits for non-integer numbers (default 4). */
  readonly digits?: number;
  /** Rows shown at most (default 50); the rest are counted in a footer. */
  readonly maxRows?: number;
}

interface ArqueroLike { objects(): object[] }
interface DanfoLike { readonly columns: readonly string[]; readonly values: unknown; readonly index?: unknown }

/** Converts an arquero table, a danfojs DataFrame or an array of rows to rows. */
export function toRows(table: readonly object[] | ArqueroLike | DanfoLike): Row[] {
  if (Array.isArray(table)) return table.slice() as Row[];
  if (typeof (table as ArqueroLike).objects === "function") return (table as ArqueroLike).objects() as Row[];
  const df = table as DanfoLike;
  if (Array.isArray(df.columns) && Array.isArray(df.values)) {
    // A labelled index (e.g. describe()'s statistic names) becomes the first column.
    const index = Array.isArray(df.index) ? (df.index as unknown[]) : [];
    const labelled = index.some((v) => typeof v === "string");
    return (df.values as unknown[][]).map((vals, r) => ({ ...(labelled ? { "": index[r] } : {}), ...Object.fromEntries(df.columns.map((c, i) => [c, vals[i]])) }));
  }
  throw new Error("table must be an array of rows, an arquero table or a danfojs DataFrame");
}

/** Formats one cell value. */
export function formatCell(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value)) return String(value);
    return Number(value.toPrecision(digits)).toString();
  }
  return String(value);
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The column names of rows, in first-seen order. */
export function columnsOf(rows: readonly Row[]): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

/** An HTML table. */
export function tableToHtml(rows: readonly Row[], options: TableOptions = {}): string {
  const cols = columnsOf(rows);
  const shown = rows.slice(0, options.maxRows ?? 50);
  const numeric = cols.map((c) => shown.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number"));
  const th = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = shown
    .map((r) => `<tr>${cols.map((c, i) => `<td style="text-align:${numeric[i] ? "right" : "left"}">${escapeHtml(formatCell(r[c], options.digits))}</td>`).join("")}</tr>`)
    .join("\n");
  const caption = options.title ? `<caption style="caption-side:top;font-weight:bold">${escapeHtml(options.title)}</caption>` : "";
  const more = rows.length > shown.length ? `<p>… ${rows.length - shown.length} more rows</p>` : "";
  return `<table class="supernet-table">${caption}<thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>${more}`;
}

/** A fixed-width plain-text table. */
export function tableToText(rows: readonly Row[], options: TableOptions = {}): string {
  const cols = columnsOf(rows);
  const shown = rows.slice(0, options.maxRows ?? 50);
  const cells = shown.map((r) => cols.map((c) => formatCell(r[c], options.digits)));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  const out = [line(cols), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
  if (options.title) out.unshift(options.title);
  if (rows.length > shown.length) out.push(`… ${rows.length - shown.length} more rows`);
  return out.join("\n");
}

/** Displays a table (HTML in the notebook, text elsewhere). */
export function showTable(table: readonly object[] | ArqueroLike | DanfoLike, options: TableOptions = {}): void {
  const rows = toRows(table);
  showHtml(tableToHtml(rows, options), tableToText(rows, options));
}
