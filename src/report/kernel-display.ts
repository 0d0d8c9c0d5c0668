/**
 * The bridge to the notebook: rich outputs are sent as Jupyter mime bundles when the code runs
 * inside the tslab kernel, and degrade to plain text on stdout elsewhere (scripts, tests).
 * tslab's public `display` sends one mime type per call; a bundle (plotly JSON + HTML + PNG)
 * needs its display writer, which tslab keeps as `lastWriteDisplayData` of the current cell.
 */

/** A Jupyter mime bundle: mime type → content (strings, base64 for images, objects for JSON). */
export type MimeBundle = Record<string, unknown>;

type WriteDisplayData = (msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

function tslabWriter(): WriteDisplayData | null {
  try {
    // Resolved lazily: tslab is only present (and only meaningful) inside the kernel.
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData?: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

/** True when running inside a tslab kernel that can display rich output. */
export function inNotebook(): boolean {
  return process.env.SUPERNET_NO_RICH_DISPLAY !== "1" && tslabWriter() !== null;
}

/** Sends a mime bundle to the notebook (or prints its text/plain part outside one). */
export function displayBundle(bundle: MimeBundle, displayId?: string, update = false): void {
  const write = process.env.SUPERNET_NO_RICH_DISPLAY === "1" ? null : tslabWriter();
  if (!write) {
    if (!update) console.log(String(bundle["text/plain"] ?? ""));
    return;
  }
  write({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
}

/** Shows Markdown in the notebook (plain text elsewhere). */
export function showMarkdown(markdown: string): void {
  displayBundle({ "text/markdown": markdown, "text/plain": markdown });
}

/** Shows HTML in the notebook, with a plain-text fallback. */
export function showHtml(html: string, text: string): void {
  displayBundle({ "text/html": html, "text/plain": text });
}
