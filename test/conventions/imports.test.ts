import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

// The tslab kernel resolves a relative import only as "<path>.js" of a compiled file, never as a
// folder's index: `import "./report"` fails in a notebook while "./report/index" works. Every
// relative import in src/ must therefore name a file.
const root = path.resolve(__dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

test("every relative import in src/ names a file, not a folder", () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(path.join(root, "src"))) {
    const text = fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']*)["']/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      if (!fs.existsSync(`${target}.ts`)) offenders.push(`${path.relative(root, file)}: "${m[1]}"`);
    }
  }
  assert.deepEqual(offenders, []);
});

test("nothing in src/ imports from notebooks/ or uses Math.random", () => {
  for (const file of sourceFiles(path.join(root, "src"))) {
    const text = fs.readFileSync(file, "utf8");
    assert.ok(!/from\s+["'][^"']*notebooks\//.test(text), `${file} imports from notebooks/`);
    assert.ok(!/Math\.random\(/.test(text), `${file} uses Math.random`);
  }
});
