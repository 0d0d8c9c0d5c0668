/**
 * A plain-text table with aligned columns for the benchmark's summary, and number formatting that
 * keeps the table compact.
 */

/** Right-aligns numeric-looking cells and left-aligns the rest, with a rule under the header. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const numeric = (s: string) => /^[-+]?[\d.,]+\s*[%x]?$|^[-+]?[\d.,]+ ?\/ ?[-+]?[\d.,]+$/.test(s.trim());
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (numeric(cell) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A number with `digits` decimals, or "-" for null, undefined and non-finite values. */
export function fmt(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "-";
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
