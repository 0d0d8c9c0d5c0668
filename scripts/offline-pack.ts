/**
 * `npm run offline-pack`: packs what `npm run bench` needs into one folder (default
 * out/offline-pack) for a machine with no Node, no npm packages and no network, such as a GPU
 * node of a cluster: the Node binary, the bench bundled into one file, the npm files it loads,
 * the prepared data it reads and Debian's Vulkan loader. On that machine, from a copy of the
 * repository that holds the folder: `bash out/offline-pack/run.sh OUTDIR [bench options]`.
 *
 * Which npm and data files go in is not guessed: a short bench run on this machine, with the
 * webgpu route forced onto a software adapter so that the GPU code loads too, records every file
 * it reads (scripts/offline/trace-files.mjs), and exactly those go in.
 * Options: --out DIR (the folder, replaced), --max-mb N (fail when the pack is larger; default 56).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../src/util/paths";

interface PackOptions {
  readonly out: string;
  readonly maxMb: number;
}

function parseOptions(argv: readonly string[]): PackOptions {
  let out = path.join(projectRoot, "out", "offline-pack");
  let maxMb = 56;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const text = () => String(inline ?? argv[++i] ?? "");
    if (flag === "--out") out = path.resolve(text());
    else if (flag === "--max-mb") {
      maxMb = Number(text());
      if (!Number.isFinite(maxMb) || maxMb <= 0) throw new Error(`offline-pack: --max-mb needs a number > 0; got "${inline ?? argv[i]}"`);
    } else throw new Error(`offline-pack: unknown option "${argv[i]}"; known: --out DIR, --max-mb N`);
  }
  // The folder is replaced: refuse the repository, a folder above it, or one that is not an earlier pack.
  const rel = path.relative(out, projectRoot);
  if (rel === "" || !rel.startsWith("..")) throw new Error(`offline-pack: --out must be a folder of its own, not the repository or one above it; got ${out}`);
  if (fs.existsSync(out) && !fs.existsSync(path.join(out, "REVISION"))) {
    throw new Error(`offline-pack: --out ${out} exists and is not an earlier pack (no REVISION file); it would be replaced, so choose another folder`);
  }
  return { out, maxMb };
}

const log = (line: string) => console.log(`offline-pack: ${line}`);

/** Bundles bench/run.ts and what it imports from the project into pack/app/bench/run.cjs. */
function bundleBench(pack: string): string {
  // esbuild comes with tsx; loaded at run time so that the library itself never needs it.
  const esbuild = require("esbuild") as typeof import("esbuild");
  // Two folders down, so that src/util/paths.ts finds the pack as the project root.
  const dir = path.join(pack, "app", "bench");
  const outfile = path.join(dir, "run.cjs");
  esbuild.buildSync({
    entryPoints: [path.join(projectRoot, "bench", "run.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // npm packages stay files of their own: tfjs's backends find their wasm binaries and Dawn's
    // addon beside their own modules, and each must load the one tfjs-core the others use.
    packages: "external",
    logLevel: "warning",
  });
  // Files the bench finds beside its own module.
  for (const file of ["torch_reference.py", "peak-fma.c"]) fs.copyFileSync(path.join(projectRoot, "bench", file), path.join(dir, file));
  return outfile;
}

/** Runs the bundle briefly with the tracer; returns every file it read. */
function traceBench(bundle: string): string[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "offline-pack-"));
  const list = path.join(tmp, "files.txt");
  const args = ["--import", path.join(projectRoot, "scripts", "offline", "trace-files.mjs"), bundle, "--steps", "1", "--warmup", "1", "--budget", "5", "--no-torch", "--no-profile", "--webgpu", "--max-tokens", "512"];
  log(`tracing a short bench run (webgpu forced onto the software adapter, so a few minutes): node ${args.slice(2).join(" ")}`);
  const run = spawnSync(process.execPath, args, {
    cwd: tmp,
    encoding: "utf8",
    timeout: 1_800_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TRACE_FILES_OUT: list, SUPERNET_DATA_DIR: path.join(projectRoot, "data", "prepared"), SUPERNET_OUT: path.join(tmp, "out") },
  });
  if (run.status !== 0 || !fs.existsSync(list)) {
    throw new Error(`offline-pack: the traced bench run failed (status ${run.status}):\n${`${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-15).join("\n")}`);
  }
  if (!/== training throughput, ours \(webgpu\)/.test(run.stdout)) {
    const why = run.stdout.split("\n").find((l) => l.includes("webgpu route not measured")) ?? "no webgpu section ran";
    throw new Error(`offline-pack: the traced run did not use webgpu (${why.trim()}), so its files would be missing from the pack; install a Vulkan driver first (bash scripts/setup-vulkan.sh)`);
  }
  const esm = `${list}.esm`;
  const files = [fs.readFileSync(list, "utf8"), fs.existsSync(esm) ? fs.readFileSync(esm, "utf8") : ""].join("\n").split("\n").filter((f) => f !== "");
  fs.rmSync(tmp, { recursive: true, force: true });
  return [...new Set(files)].sort();
}

/** The package.json of every package folder between `file` and node_modules (module resolution reads them). */
function packageManifests(file: string, nodeModules: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(file); dir.startsWith(nodeModules + path.sep); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) out.push(manifest);
  }
  return out;
}

/** Copies the traced npm and data files into a staging folder laid out as the pack's root. */
function stageRuntime(files: readonly string[], stage: string): { npmFiles: number; dataFiles: number; packages: string[] } {
  const nodeModules = path.join(projectRoot, "node_modules");
  const prepared = path.join(projectRoot, "data", "prepared");
  const chosen = new Set<string>();
  let dataFiles = 0;
  for (const file of files) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
    if (file.startsWith(nodeModules + path.sep)) {
      chosen.add(file);
      for (const m of packageManifests(file, nodeModules)) chosen.add(m);
    } else if (file.startsWith(prepared + path.sep)) {
      chosen.add(file);
      dataFiles++;
    }
  }
  const packages = new Set<string>();
  for (const file of chosen) {
    const target = path.join(stage, path.relative(projectRoot, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
    fs.chmodSync(target, fs.statSync(file).mode);
    const rel = path.relative(nodeModules, file);
    if (!rel.startsWith("..")) packages.add(rel.split(path.sep).slice(0, rel.startsWith("@") ? 2 : 1).join("/"));
  }
  return { npmFiles: chosen.size - dataFiles, dataFiles, packages: [...packages].sort() };
}

/** tar + xz (multi-threaded) of `entries` under `dir`. */
function tarXz(archive: string, dir: string, entries: readonly string[]): void {
  execFileSync("tar", ["-cJf", archive, "-C", dir, ...entries], { env: { ...process.env, XZ_OPT: "-6 -T0" }, stdio: "inherit" });
}

/** Puts Debian's Vulkan loader (libvulkan.so.1 from libvulkan1) in `dir`; a GPU machine may lack it. Returns why not, or null. */
function packVulkanLoader(dir: string): string | null {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "offline-pack-vulkan-"));
  try {
    const r = spawnSync("apt-get", ["download", "libvulkan1"], { cwd: tmp, encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0) return `apt-get download libvulkan1 failed: ${`${r.stderr ?? ""}${r.error ?? ""}`.trim().split("\n").pop()}`;
    const deb = fs.readdirSync(tmp).find((f) => f.endsWith(".deb"));
    if (!deb) return "apt-get download libvulkan1 left no .deb";
    // Unpacked here, so that the target machine needs no dpkg.
    execFileSync("dpkg-deb", ["-x", path.join(tmp, deb), path.join(tmp, "root")]);
    const lib = path.join(tmp, "root", "usr", "lib", "x86_64-linux-gnu", "libvulkan.so.1");
    if (!fs.existsSync(lib)) return `${deb} holds no usr/lib/x86_64-linux-gnu/libvulkan.so.1`;
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(fs.realpathSync(lib), path.join(dir, "libvulkan.so.1"));
    fs.writeFileSync(path.join(dir, "SOURCE"), `${deb} (Debian)\n`);
    return null;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function sizeMb(file: string): number {
  if (fs.statSync(file).isFile()) return fs.statSync(file).size / 2 ** 20;
  return fs.readdirSync(file).reduce((n, f) => n + sizeMb(path.join(file, f)), 0);
}

function gitRevision(): string {
  try {
    const rev = execFileSync("git", ["rev-parse", "HEAD"], { cwd: projectRoot, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: projectRoot, encoding: "utf8" }).trim() !== "";
    return dirty ? `${rev}+changes` : rev;
  } catch {
    return "unknown";
  }
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const pack = options.out;
  // Build in a sibling folder and rename at the end: a failed build never leaves a half pack.
  const building = `${pack}.building`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  const bundle = bundleBench(building);
  log(`bench bundled: ${path.relative(projectRoot, bundle).replace(".building", "")} (${sizeMb(bundle).toFixed(1)} MB)`);

  const files = traceBench(bundle);
  const stage = path.join(building, "stage");
  const staged = stageRuntime(files, stage);
  log(`${staged.npmFiles} npm files from ${staged.packages.length} packages (${staged.packages.join(", ")}), ${staged.dataFiles} data files`);
  tarXz(path.join(building, "runtime.tar.xz"), stage, ["node_modules", "data"]);
  fs.rmSync(stage, { recursive: true, force: true });

  // The running Node: the same version the bundle was traced with.
  const nodeStage = path.join(building, "node-stage", "bin");
  fs.mkdirSync(nodeStage, { recursive: true });
  fs.copyFileSync(process.execPath, path.join(nodeStage, "node"));
  fs.chmodSync(path.join(nodeStage, "node"), 0o755);
  tarXz(path.join(building, "node.tar.xz"), path.dirname(nodeStage), ["bin"]);
  fs.rmSync(path.dirname(nodeStage), { recursive: true, force: true });

  const vulkanWhy = packVulkanLoader(path.join(building, "vulkan"));
  if (vulkanWhy) log(`no Vulkan loader in the pack (${vulkanWhy}); the target machine must have libvulkan.so.1`);

  fs.copyFileSync(path.join(projectRoot, "scripts", "offline", "run.sh"), path.join(building, "run.sh"));
  fs.chmodSync(path.join(building, "run.sh"), 0o755);
  fs.writeFileSync(path.join(building, "REVISION"), `${gitRevision()}\n`);
  fs.writeFileSync(path.join(building, "NODE_VERSION"), `${process.version}\n`);

  const total = sizeMb(building);
  if (total > options.maxMb) {
    fs.rmSync(building, { recursive: true, force: true });
    throw new Error(`offline-pack: the pack came to ${total.toFixed(1)} MB, over --max-mb ${options.maxMb}`);
  }
  fs.rmSync(pack, { recursive: true, force: true });
  fs.renameSync(building, pack);
  for (const f of fs.readdirSync(pack).sort()) log(`  ${f.padEnd(16)} ${sizeMb(path.join(pack, f)).toFixed(1).padStart(6)} MB`);
  log(`${path.relative(process.cwd(), pack) || "."}: ${total.toFixed(1)} MB, node ${process.version}, revision ${gitRevision()}`);
  log(`on the target machine, from the repository root: bash ${path.relative(projectRoot, pack)}/run.sh OUTDIR [bench options]`);
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
