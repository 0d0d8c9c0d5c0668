/**
 * Numbers, estimates and tables as Markdown for RESULTS.md. Three significant digits keep the
 * tables readable; the results files beside the run keep every digit.
 */
import { Estimate, isEstimate } from "./results";
import { columnsOf, Row } from "./table";

/** A number to `digits` significant digits; integers and values of `digits` or more integer digits keep no fraction. */
export function formatNumber(value: number, digits = 3): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 10 ** digits) return value.toFixed(0);
  return String(Number(value.toPrecision(digits)));
}

/** An estimate as "0.41 [0.12, 0.66] (n=24)", with its level when it is not 95%. */
export function formatEstimate(e: Estimate, digits = 3): string {
  const num = (v: unknown) => (typeof v === "number" ? formatNumber(v, digits) : String(v));
  const level = typeof e.level === "number" && Math.abs(e.level - 0.95) > 1e-9 ? `, ${formatNumber(e.level * 100, 3)}%` : "";
  return `${num(e.estimate)} [${num(e.ci[0])}, ${num(e.ci[1])}] (n=${e.n}${level})`;
}

/** Any JSON value as the plain text of one table cell or list item. */
export function formatValue(value: unknown, digits = 3): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value, digits);
  if (isEstimate(value)) return formatEstimate(value, digits);
  if (Array.isArray(value)) return value.map((v) => formatValue(v, digits)).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const escapeCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

/** Rows as a Markdown table; columns whose cells are all numbers or estimates are right-aligned. */
export function markdownTable(rows: readonly Row[], digits = 3): string {
  const cols = columnsOf(rows);
  if (cols.length === 0) return "_(empty table)_";
  const numeric = cols.map((c) => rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === "number" || isEstimate(r[c])));
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(cols.map((c) => escapeCell(c))),
    line(numeric.map((n) => (n ? "---:" : "---"))),
    ...rows.map((r) => line(cols.map((c) => escapeCell(formatValue(r[c], digits))))),
  ].join("\n");
}
