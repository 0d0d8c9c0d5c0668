/**
 * PNG export of plotly figures through headless Chromium (Debian `chromium`, driven by
 * playwright-core). One browser page with plotly loaded is kept per process and reused, so a
 * figure costs a plotly render (~0.2 s) rather than a browser start (~2 s); it is closed after a
 * short idle time so that scripts exit by themselves.
 */
import * as fs from "fs";
import type { Browser, Page } from "playwright-core";
import { FigureSpec, figureDefaults } from "./figure-spec";

/** Where Chromium is expected (Debian package `chromium`). */
export const chromiumPath = process.env.SUPERNET_CHROMIUM ?? "/usr/bin/chromium";

const chromiumFlags = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
];

let browser: Browser | null = null;
let pagePromise: Promise<Page> | null = null;
let idleTimer: NodeJS.Timeout | null = null;

/** The path of the plotly.js bundle shipped by the plotly.js-dist package. */
export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist/plotly.js");
}

async function getPage(): Promise<Page> {
  if (!pagePromise) {
    if (!fs.existsSync(chromiumPath)) {
      throw new Error(`PNG export needs Chromium at ${chromiumPath}; install it with: apt-get install -y chromium (or set SUPERNET_CHROMIUM)`);
    }
    pagePromise = (async () => {
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags, headless: true });
      const page = await browser.newPage();
      await page.setContent("<html><body><div id='fig'></div></body></html>");
      await page.addScriptTag({ path: plotlyBundlePath() });
      return page;
    })();
    pagePromise.catch(() => (pagePromise = null));
  }
  return pagePromise;
}

let busy = 0;

function scheduleClose(): void {
  if (idleTimer) clearTimeout(idleTimer);
  // A long synchronous cell can make this timer overdue; it must never close a page in use.
  idleTimer = setTimeout(() => busy === 0 && void closePngRenderer(), 20_000);
  idleTimer.unref();
}

/** Closes the shared browser (it also closes by itself when idle). */
export async function closePngRenderer(): Promise<void> {
  const b = browser;
  browser = null;
  pagePromise = null;
  if (b) await b.close().catch(() => undefined);
}

/** Renders a figure to PNG bytes at its layout size times `scale`. */
export async function renderPng(spec: FigureSpec, scale = 1): Promise<Buffer> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  busy++;
  try {
    return await renderOnce(spec, scale);
  } catch (err) {
    // A browser that died between figures is started again, once.
    if (!/closed|crashed|disconnected/i.test((err as Error).message)) throw err;
    await closePngRenderer();
    return await renderOnce(spec, scale);
  } finally {
    busy--;
    scheduleClose();
  }
}

async function renderOnce(spec: FigureSpec, scale: number): Promise<Buffer> {
  const page = await getPage();
  const width = Number(spec.layout.width ?? figureDefaults.width);
  const height = Number(spec.layout.height ?? figureDefaults.height);
  const dataUrl = await page.evaluate(
    async ({ data, layout, width, height, scale }) => {
      // Runs in the page: no DOM types here, the kernel compiles without lib.dom.
      const g = globalThis as unknown as { Plotly: any; document: { getElementById(id: string): unknown } };
      const P = g.Plotly;
      const div = g.document.getElementById("fig");
      await P.newPlot(div, data, layout, { staticPlot: true });
      const url: string = await P.toImage(div, { format: "png", width, height, scale });
      P.purge(div);
      return url;
    },
    { data: spec.data, layout: spec.layout, width, height, scale },
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
}
