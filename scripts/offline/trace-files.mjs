/**
 * Records every file a Node run reads, for scripts/offline-pack.ts: CommonJS modules (and native
 * addons) from require.cache at exit, ES modules through a resolve hook, and plain reads (wasm
 * binaries, prepared data) through fs. Loaded with `node --import`; writes one path per line to
 * the file named by TRACE_FILES_OUT.
 */
import { createRequire, register } from "node:module";

const out = process.env.TRACE_FILES_OUT;
if (!out) throw new Error("trace-files.mjs: set TRACE_FILES_OUT to the file that receives the list");
const require = createRequire(import.meta.url);
// The CommonJS fs object: patching it reaches every module, as an ES namespace cannot be patched.
const fs = require("node:fs");
const seen = new Set();
const note = (file) => {
  if (typeof file === "string" && file.startsWith("/")) seen.add(file);
  else if (file instanceof URL && file.protocol === "file:") seen.add(file.pathname);
};
for (const name of ["readFileSync", "openSync", "readFile", "open", "createReadStream"]) {
  const original = fs[name];
  fs[name] = function (file, ...rest) {
    note(file);
    return original.call(this, file, ...rest);
  };
}
register("./trace-esm-hooks.mjs", { parentURL: import.meta.url, data: { out: `${out}.esm` }, transferList: [] });
process.on("exit", () => {
  for (const file of Object.keys(require.cache)) seen.add(file);
  fs.writeFileSync(out, [...seen].sort().join("\n") + "\n");
});
