/**
 * Showing a figure: one mime bundle holding the plotly JSON, interactive HTML and a PNG, so the
 * figure is interactive in the live Notebook UI and still visible in stored or untrusted outputs
 * (the HTML starts as the PNG and is replaced by the live plot only where scripts may run).
 * Every figure is also written as `<name>.html` (interactive) and `<name>.png` to the figures
 * folder, which the notebook runner sets per notebook.
 */
import * as fs from "fs";
import * as path from "path";
import { atomicWriteFile } from "../util/atomic-write";
import { outputDir } from "../util/paths";
import { FigureSpec } from "./figure-spec";
import { displayBundle } from "./kernel-display";
import { plotlyBundlePath, renderPng } from "./png";

/** Options for showing a figure. */
export interface ShowFigureOptions {
  /** File name stem (letters, digits, '-', '_'); also the figure's id in the page. */
  readonly name: string;
  /** Skip the PNG (no Chromium needed); the HTML then has no static fallback. */
  readonly noPng?: boolean;
}

/** The folder figures are written to. */
export function figuresDir(): string {
  return process.env.SUPERNET_FIGURES_DIR ?? path.join(outputDir, "figures");
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`figure name must use letters, digits, '-' and '_' only; got "${name}"`);
}

/** Standalone interactive HTML that loads plotly.js from a file beside it. */
export function standaloneHtml(spec: FigureSpec, name: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title>` +
    `<script src="plotly.js"></script></head><body><div id="${name}"></div><script>` +
    `Plotly.newPlot(${JSON.stringify(name)}, ${JSON.stringify(spec.data)}, ${JSON.stringify(spec.layout)});</script></body></html>\n`;
}

/** Notebook HTML: the PNG first, replaced by a live plot when plotly can be loaded. */
export function notebookHtml(spec: FigureSpec, name: string, pngBase64: string | null): string {
  const id = `fig-${name}-${Date.now().toString(36)}`;
  const img = pngBase64 ? `<img src="data:image/png;base64,${pngBase64}" alt="${name}"/>` : "";
  // Classic Notebook has requirejs; scripts/lab.sh serves plotly.js as /static/plotly.js.
  const script = `(function(){var el=document.getElementById(${JSON.stringify(id)});` +
    `var draw=function(P){el.innerHTML="";P.newPlot(el,${JSON.stringify(spec.data)},${JSON.stringify(spec.layout)});};` +
    `if(window.Plotly){draw(window.Plotly);}else if(window.require){window.require.config({paths:{plotly:"plotly"}});window.require(["plotly"],draw,function(){});}})();`;
  return `<div id="${id}">${img}</div><script type="text/javascript">${script}</script>`;
}

/** Writes the figure's files (see `figuresDir`) and displays it. */
export async function showFigure(spec: FigureSpec, options: ShowFigureOptions): Promise<void> {
  checkName(options.name);
  const dir = figuresDir();
  fs.mkdirSync(dir, { recursive: true });
  const plotlyCopy = path.join(dir, "plotly.js");
  if (!fs.existsSync(plotlyCopy)) fs.copyFileSync(plotlyBundlePath(), plotlyCopy);
  const htmlFile = path.join(dir, `${options.name}.html`);
  atomicWriteFile(htmlFile, standaloneHtml(spec, options.name));
  let pngFile: string | null = null;
  let pngBase64: string | null = null;
  if (!options.noPng) {
    const png = await renderPng(spec);
    pngFile = path.join(dir, `${options.name}.png`);
    atomicWriteFile(pngFile, png);
    pngBase64 = png.toString("base64");
  }
  const bundle: Record<string, unknown> = {
    "application/vnd.plotly.v1+json": { data: spec.data, layout: spec.layout },
    "text/html": notebookHtml(spec, options.name, pngBase64),
    "text/plain": `[figure ${options.name}: ${path.relative(process.cwd(), htmlFile)}]`,
  };
  if (pngBase64) bundle["image/png"] = pngBase64;
  displayBundle(bundle);
}
