import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { listNotebooks, runNotebook } from "../../src/runner/run-notebook";
import * as ts from "typescript";
import { decodePng, inkFraction } from "../helpers/png";
import { checkResultsFile, notebookInvariants, readResultsFile } from "./invariants";
import { estimatorInvariants } from "./estimator-invariants";

// Every curated notebook runs headlessly on the tiny preset: notebooks are tests.
const root = path.resolve(__dirname, "..", "..");
const outDir = path.join(root, "out", "notebooks-test", "tiny");

// Each notebook's own invariants: the general ones, and those of the estimator studies (02, 04).
const invariantsOf = { ...notebookInvariants, ...estimatorInvariants };

interface Output { output_type: string; data?: Record<string, unknown>; text?: string | string[] }
interface Notebook { cells: { cell_type: string; outputs?: Output[] }[] }

function outputsOf(file: string): Output[] {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
  return nb.cells.flatMap((c) => c.outputs ?? []);
}

for (const file of listNotebooks()) {
  const name = path.basename(file, ".ipynb");
  test(`notebook ${name} runs end to end on the tiny preset and stores its outputs`, { timeout: 20 * 60_000 }, async (t) => {
    const started = new Date().toISOString();
    const result = await runNotebook(file, { preset: "tiny", outDir });
    assert.ok(result.ok, result.ok ? "" : `cell ${result.cell}: ${result.message}`);
    const outputs = outputsOf(result.output);
    const text = outputs.map((o) => [o.text ?? "", String(o.data?.["text/plain"] ?? "")].flat().join("")).join("\n");
    assert.match(text, /backend: (wasm|cpu|tensorflow)/, "the first cell prints the backend");
    const pngs = outputs.filter((o) => o.data?.["image/png"]);
    assert.ok(pngs.length > 0, "at least one figure with a PNG");
    for (const o of pngs) {
      const png = decodePng(Buffer.from(String(o.data?.["image/png"]), "base64"));
      assert.ok(inkFraction(png) > 0.01, "the PNG is not blank");
    }
    const figures = fs.readdirSync(path.join(outDir, "figures", name));
    assert.ok(figures.some((f) => f.endsWith(".html")) && figures.some((f) => f.endsWith(".png")), "figures written as HTML and PNG");

    // A results file from an earlier run does not count: this run must have written it.
    const resultsPath = path.join(outDir, "results", `${name}.json`);
    const written = fs.existsSync(resultsPath) && readResultsFile(resultsPath).startedAt >= started;
    await t.test(`its results file holds provenance, findings and estimates whose intervals contain them${invariantsOf[name] ? ", and the notebook's own invariants" : ""}`, () => {
      assert.ok(written, `${name} did not write ${path.relative(root, resultsPath)} in this run (openResults in its first code cell)`);
      const results = readResultsFile(resultsPath);
      checkResultsFile(results, { notebook: name, preset: "tiny", figuresDir: path.join(outDir, "figures", name) });
      invariantsOf[name]?.(results);
    });
  });
}

test("notebook 00-quickstart shows a table and a loss that falls", () => {
  const outputs = outputsOf(path.join(outDir, "00-quickstart.ipynb"));
  assert.ok(outputs.some((o) => String(o.data?.["text/html"] ?? "").includes("<table")), "a table is stored as HTML");
  const text = outputs.map((o) => [o.text ?? ""].flat().join("")).join("");
  assert.match(text, /validation loss [\d.]+ -> [\d.]+ \(falls\)/);
});

test("committed notebooks carry no outputs", () => {
  for (const file of listNotebooks()) {
    const nb = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
    for (const cell of nb.cells) assert.deepEqual(cell.outputs ?? [], [], `${path.basename(file)} has stored outputs`);
  }
});

test("notebook cells write { name: name } for names from earlier cells (tslab drops shorthand properties across cells)", () => {
  const offenders: string[] = [];
  for (const file of listNotebooks()) {
    const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
    const earlier = new Set<string>();
    nb.cells.forEach((cell, index) => {
      if (cell.cell_type !== "code") return;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (ts.isShorthandPropertyAssignment(node) && earlier.has(node.name.text)) offenders.push(`${path.basename(file)} cell ${index}: { ${node.name.text} }`);
        ts.forEachChild(node, visit);
      };
      visit(sf);
      for (const st of sf.statements) {
        if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) earlier.add(d.name.text);
        if (ts.isImportDeclaration(st)) {
          const b = st.importClause?.namedBindings;
          if (b && ts.isNamedImports(b)) for (const e of b.elements) earlier.add(e.name.text);
          if (b && ts.isNamespaceImport(b)) earlier.add(b.name.text);
        }
        if (ts.isFunctionDeclaration(st) && st.name) earlier.add(st.name.text);
      }
    });
  }
  assert.deepEqual(offenders, []);
});
