/** Module hooks for trace-files.mjs: appends the path of every ES module file that is loaded. */
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let out = null;

/** Receives the output file from trace-files.mjs. */
export function initialize(data) {
  out = data.out;
}

/** Notes each file:// module, then loads it as usual. */
export async function load(url, context, nextLoad) {
  if (out && url.startsWith("file:")) appendFileSync(out, fileURLToPath(url) + "\n");
  return nextLoad(url, context);
}
