/**
 * `npm run bench`: throughput of the project's supernet training on this machine, against PyTorch
 * training the same model on the same batches, and how much of the CPU's peak a tfjs matmul gets.
 * A benchmark, not a test: every section reports its failure and the others still run. Prints a
 * summary table and writes everything to out/bench/results.json (atomically).
 *
 * Options: --steps N (timed steps per subnet, default 12), --warmup N (default 2),
 * --budget S (seconds of timed steps per subnet before stopping early, default 120),
 * --no-torch, --no-profile, --keep-exchange (keep the folder of files handed to PyTorch),
 * --webgpu (also measure webgpu on a software adapter), --no-webgpu (never measure webgpu),
 * --space NAME (the translation space whose largest and smallest subnets are timed: tiny, small
 * or paper; default small), --max-tokens N (tokens per batch, default the small preset's 2048),
 * --torch-device DEV (where PyTorch runs: cpu, the default, or cuda / cuda:N on a GPU machine),
 * --translation-only (skip the BERT, MoS and AutoMoE sections, which do not depend on --space).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import type { TranslationBatch } from "../src/data/batching";
import { archParams, getSpace, largestArch, smallestArch } from "../src/space/index";
import type { Arch } from "../src/space/index";
import { supernetDefaults } from "../src/supernet/index";
import { adamDefaults } from "../src/train/index";
import { atomicWriteJson } from "../src/util/atomic-write";
import { outputDir, projectRoot } from "../src/util/paths";
import { BenchBackend, initBenchBackend } from "./bench-backend";
import { batchJson, batchStats, benchBatches, benchDataOptions } from "./bench-batches";
import { WeightManifest, exportWeights } from "./export-weights";
import { fmt, formatTable } from "./format-table";
import { MatmulResult, matmulGflops } from "./matmul-gflops";
import { ComputeVariant, WebgpuRoute, computeVariants } from "./compute-variants";
import { BertBenchResult, benchBert } from "./bert-throughput";
import { PeakFlops, peakFlops } from "./peak-flops";
import { ensureTorch, runTorchReference, TorchAvailability } from "./torch-reference";
import { ThroughputResult, archDropoutRates, benchTrainConfig, measureTrainingThroughput } from "./train-throughput";
import { MoeStepResult, measureMoeStep } from "./moe-step";
import { MosOverhead, measureMosOverhead } from "./mos-overhead";

/** The project's goal: our training throughput on the largest subnet (default route), as a fraction of PyTorch's. */
const goalRatio = 0.5;
/** The project's goal for a 1024^3 matmul on the default route, GFLOP/s. */
const goalMatmulGflops = 200;
/** PyTorch threads (the machine kind has 2 cores). */
const torchThreads = 2;
/** Largest relative difference allowed between our and PyTorch's initial loss on the same weights and batches. */
const lossTolerance = 1e-3;
const seed = 1;
const lr = 1e-3;

interface BenchOptions {
  readonly steps: number;
  readonly warmup: number;
  readonly budgetSeconds: number;
  readonly torch: boolean;
  readonly profile: boolean;
  readonly keepExchange: boolean;
  readonly webgpu: WebgpuRoute;
  readonly space: TranslationSpaceName;
  readonly maxTokens: number;
  readonly torchDevice: string;
  readonly translationOnly: boolean;
}

/** The translation spaces the throughput section can time (the MoE twins have their own section). */
const translationSpaces = ["tiny", "small", "paper"] as const;
type TranslationSpaceName = (typeof translationSpaces)[number];

function parseOptions(argv: readonly string[]): BenchOptions {
  const o = {
    steps: 12, warmup: 2, budgetSeconds: 120, torch: true, profile: true, keepExchange: false, webgpu: "auto" as WebgpuRoute,
    space: "small" as TranslationSpaceName, maxTokens: benchDataOptions.maxTokens as number, torchDevice: "cpu", translationOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const text = () => String(inline ?? argv[++i] ?? "");
    const value = () => {
      const v = Number(inline ?? argv[++i]);
      if (!Number.isFinite(v) || v < 0) throw new Error(`bench: ${flag} needs a number >= 0; got "${inline ?? argv[i]}"`);
      return v;
    };
    if (flag === "--steps") o.steps = Math.max(1, Math.round(value()));
    else if (flag === "--warmup") o.warmup = Math.round(value());
    else if (flag === "--budget") o.budgetSeconds = value();
    else if (flag === "--no-torch") o.torch = false;
    else if (flag === "--no-profile") o.profile = false;
    else if (flag === "--keep-exchange") o.keepExchange = true;
    else if (flag === "--webgpu") o.webgpu = "on";
    else if (flag === "--no-webgpu") o.webgpu = "off";
    else if (flag === "--space") {
      const name = text();
      if (!(translationSpaces as readonly string[]).includes(name)) throw new Error(`bench: --space must be one of ${translationSpaces.join(", ")}; got "${name}"`);
      o.space = name as TranslationSpaceName;
    } else if (flag === "--max-tokens") {
      const n = Math.round(value());
      // A batch must hold at least one pair of the longest length the data keeps.
      if (n < benchDataOptions.maxLen || n > 65536) throw new Error(`bench: --max-tokens must be in [${benchDataOptions.maxLen}, 65536]; got ${n}`);
      o.maxTokens = n;
    } else if (flag === "--torch-device") {
      const device = text();
      if (!/^(cpu|cuda(:\d+)?)$/.test(device)) throw new Error(`bench: --torch-device must be cpu, cuda or cuda:N; got "${device}"`);
      o.torchDevice = device;
    } else if (flag === "--translation-only") o.translationOnly = true;
    else throw new Error(`bench: unknown option "${argv[i]}"; known: --steps N, --warmup N, --budget SECONDS, --no-torch, --no-profile, --keep-exchange, --webgpu, --no-webgpu, --space NAME, --max-tokens N, --torch-device DEV, --translation-only`);
  }
  return o;
}

const log = (line: string) => console.log(line);
const errors: Record<string, string> = {};
const notes: string[] = [];

/** Runs one section; a failure is printed and recorded, and the benchmark goes on. */
async function section<T>(name: string, fn: () => T | Promise<T>): Promise<T | null> {
  log(`\n== ${name}`);
  const t0 = performance.now();
  try {
    const result = await fn();
    log(`   (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    errors[name] = message;
    log(`   FAILED: ${message}`);
    return null;
  }
}

/** The revision measured: SUPERNET_REVISION when set (an offline pack records its own), else git's HEAD. */
function gitRevision(): string | null {
  if (process.env.SUPERNET_REVISION) return process.env.SUPERNET_REVISION;
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

interface TorchSubnetResult {
  readonly label: string;
  readonly error?: string;
  readonly steps?: number;
  readonly targetTokens?: number;
  readonly tokensPerSec?: number;
  readonly msPerStep?: number;
  readonly initEvalLoss?: number;
  readonly meanTrainLoss?: number;
}

interface TorchOutput {
  readonly torchVersion: string;
  readonly threads: number;
  readonly ompWaitPolicy?: string | null;
  readonly mode: string;
  readonly initWeights: string;
  readonly subnets: readonly TorchSubnetResult[];
  readonly matmul?: { readonly medianGflops: number; readonly bestGflops: number };
}

async function main(): Promise<void> {
  const started = performance.now();
  const options = parseOptions(process.argv.slice(2));
  const space = getSpace(options.space);
  // torch_reference.py reads it; set here so every PyTorch run of this bench (BERT too) uses it.
  process.env.SUPERNET_TORCH_DEVICE = options.torchDevice;
  const subnets: { label: string; arch: Arch }[] = [
    { label: "largest", arch: largestArch(space) },
    { label: "smallest", arch: smallestArch(space) },
  ];
  const loadAtStart = os.loadavg()[0];
  log(`supernet-lab bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${loadAtStart.toFixed(2)}`);
  if (loadAtStart > 0.5) {
    notes.push(`load average was ${loadAtStart.toFixed(2)} at start: other processes share the CPUs, so every figure here is low and noisy`);
    log(`note: ${notes[notes.length - 1]}`);
  }

  const backend: BenchBackend | null = await section("backend", async () => {
    const b = await initBenchBackend();
    log(`   ${b.description}`);
    if (b.note) log(`   note: ${b.note}`);
    return b;
  });

  const data = await section("data", () => {
    const d = benchBatches(options.warmup + options.steps, options.maxTokens);
    const stats = batchStats(d.batches);
    log(`   bible-en-es, vocab ${d.vocabSize}, batches of up to ${options.maxTokens} tokens: ${stats.batches} batches of epoch 0, ${stats.rows} rows, ${stats.targetTokens} real / ${stats.paddedTargetTokens} padded target tokens`);
    return { ...d, stats };
  });

  const routes = backend ? await computeVariants(options.webgpu) : { variants: [], notes: [] };
  const variants: ComputeVariant[] = routes.variants;
  for (const note of routes.notes) log(`   ${note}`);
  const matmuls: Record<string, MatmulResult | null> = {};
  for (const variant of variants) {
    await variant.enable();
    matmuls[variant.label] = await section(`matmul 1024x1024x1024 float32 (src/ops matMul), ${variant.label}`, async () => {
      const r = await matmulGflops(1024, tf.getBackend() === "cpu" ? 2 : 5, tf.getBackend() === "cpu" ? 1 : 2);
      log(`   ${variant.label}: ${fmt(r.medianGflops, 1)} GFLOP/s median (${fmt(r.medianMs, 1)} ms), best ${fmt(r.bestGflops, 1)}`);
      return r;
    });
  }
  await variants[0]?.enable();
  const matmul = variants.length > 0 ? matmuls[variants[0].label] : null;

  const peak: PeakFlops | null = await section("peak fp32", () => {
    const p = peakFlops(os.cpus().length);
    log(`   ${fmt(p.gflops, 0)} GFLOP/s on ${p.threads} threads (${fmt(p.gflopsOneThread, 0)} on 1): ${p.source}, ${p.detail}`);
    return p;
  });

  const exchangeDir = fs.mkdtempSync(path.join(os.tmpdir(), "supernet-bench-"));
  let weights: WeightManifest | null = null;
  const ours: Record<string, ThroughputResult | null> = {};
  try {
    for (const variant of variants)
    for (const { label, arch } of subnets) {
      await variant.enable();
      const key = variantKey(variant.label, label, variants);
      ours[key] = await section(`training throughput, ours (${variant.label}): ${label} subnet of "${space.name}"`, async () => {
        if (!data) throw new Error("no batches (the data section failed)");
        log(`   ${archParams(space, arch, data.vocabSize).toLocaleString("en-US")} parameters; ${options.warmup} warm-up + up to ${options.steps} timed steps (budget ${options.budgetSeconds} s)`);
        const r = await measureTrainingThroughput({
          label,
          space,
          arch,
          vocabSize: data.vocabSize,
          batches: data.batches,
          warmupSteps: options.warmup,
          steps: options.steps,
          budgetSeconds: options.budgetSeconds,
          minSteps: Math.min(3, options.steps),
          seed,
          lr,
          profile: options.profile && label === "largest" && variant === variants[0],
          // Every supernet from this seed starts from the same weights; PyTorch gets them once.
          onModel: async (model) => {
            if (options.torch && weights === null) weights = await exportWeights(model.params, exchangeDir);
          },
          log,
        });
        log(`   ${fmt(r.tokensPerSec, 0)} target tokens/s, ${fmt(r.msPerStep, 0)} ms/step over ${r.steps} steps${r.stoppedByBudget ? " (stopped by the time budget)" : ""}`);
        if (r.profile) printProfile(r.profile);
        return r;
      });
    }
    await variants[0]?.enable();

    let torch: TorchOutput | null = null;
    let torchStatus: TorchAvailability | null = null;
    if (options.torch) {
      torch = await section("training throughput, PyTorch reference (bench/torch_reference.py)", () => {
        if (!data) throw new Error("no batches (the data section failed)");
        torchStatus = ensureTorch(log);
        if (!torchStatus.ok) {
          const why = `PyTorch comparison skipped: ${torchStatus.why}`;
          notes.push(why);
          throw new Error(why);
        }
        const input = {
          threads: torchThreads,
          seed,
          lr,
          adam: adamDefaults,
          clipNorm: benchTrainConfig(lr, seed).clipNorm,
          labelSmoothing: benchTrainConfig(lr, seed).labelSmoothing,
          vocabSize: data.vocabSize,
          qkvDim: space.qkvDim,
          mode: "supernet",
          warmupSteps: options.warmup,
          weights,
          batches: data.batches.map(batchJson),
          subnets: subnets.map(({ label, arch }) => ({
            label,
            arch,
            rates: archDropoutRates(space, arch, supernetDefaults),
            // Time exactly the batches our side timed, so both see the same shapes.
            steps: ours[variantKey(variants[0]?.label ?? "", label, variants)]?.steps ?? options.steps,
          })),
          matmul: { n: 1024, repeats: 5 },
        };
        const inputFile = path.join(exchangeDir, "input.json");
        fs.writeFileSync(inputFile, JSON.stringify(input));
        log(`   torch ${torchStatus.version} on ${options.torchDevice}, ${torchThreads} threads, weights: ${weights ? "the TypeScript supernet's initial weights" : "fresh"}`);
        const out = runTorchReference(inputFile, torchThreads, 600) as TorchOutput;
        for (const s of out.subnets) {
          if (s.error) log(`   ${s.label}: FAILED ${s.error}`);
          else log(`   ${s.label}: ${fmt(s.tokensPerSec, 0)} target tokens/s, ${fmt(s.msPerStep, 0)} ms/step over ${s.steps} steps`);
        }
        if (out.matmul) log(`   torch matmul 1024^3: ${fmt(out.matmul.medianGflops, 1)} GFLOP/s median`);
        log(`   (${out.threads} threads, OMP_WAIT_POLICY=${out.ompWaitPolicy ?? "unset"}, weights held as in HAT: full-size, sliced in the forward pass)`);
        return out;
      });
    } else {
      notes.push("PyTorch comparison skipped: --no-torch");
    }

    if (options.translationOnly) {
      notes.push("BERT, MoS and AutoMoE sections skipped: --translation-only");
      summarize({ options, backend, variants, bert: null, data, matmul, matmuls, peak, ours, torch, torchStatus, subnets, space, loadAtStart, started, mosOverhead: [], moeStep: null });
      return;
    }

    const bert = await section('masked-LM training throughput: largest subnet of "bert-small", ours on each route and PyTorch', () =>
      benchBert({ variants, warmup: options.warmup, steps: options.steps, budgetSeconds: options.budgetSeconds, seed, lr, torch: options.torch, torchThreads, lossTolerance, log }),
    );
    if (bert?.torchError) notes.push(`BERT: ${bert.torchError}`);

    const mosOverhead: MosOverhead[] = [];
    for (const { label, arch } of subnets) {
      const r = await section(`MoS training overhead: ${label} subnet (plain vs MoS: layer-wise and neuron-wise with 2 experts, MT release with 6)`, () => {
        if (!data) throw new Error("no batches (the data section failed)");
        return measureMosOverhead(label, space, arch, data.vocabSize, data.batches, Math.min(6, options.steps), seed);
      });
      if (r) {
        mosOverhead.push(r);
        const others = Object.keys(r.msPerStep).filter((k) => k !== "plain");
        log(`   ms/step plain ${fmt(r.msPerStep.plain, 0)}, ${others.map((k) => `${k} ${fmt(r.msPerStep[k], 0)} (${fmt(r.ratioToPlain[k], 3)}x)`).join(", ")}; goal <= 1.15x`);
      }
    }

    const moeStep = await section("AutoMoE step: the largest small subnet dense vs with 4 top-1 experts of the same width per layer (equal active parameters)", () => {
      if (!data) throw new Error("no batches (the data section failed)");
      return measureMoeStep(data.vocabSize, data.batches, Math.min(6, options.steps), 4, seed);
    });
    if (moeStep) log(`   ms/step dense ${fmt(moeStep.msDense, 0)}, MoE ${fmt(moeStep.msMoe, 0)} (${fmt(moeStep.ratio, 3)}x); active parameters ${moeStep.activeParams.dense.toLocaleString("en-US")} vs ${moeStep.activeParams.moe.toLocaleString("en-US")}`);

    summarize({ options, backend, variants, bert, data, matmul, matmuls, peak, ours, torch, torchStatus, subnets, space, loadAtStart, started, mosOverhead, moeStep });
  } finally {
    if (options.keepExchange) log(`exchange folder kept: ${exchangeDir}`);
    else fs.rmSync(exchangeDir, { recursive: true, force: true });
  }
}

/** Key of one throughput result: the subnet alone when there is a single route. */
function variantKey(route: string, subnet: string, variants: readonly ComputeVariant[]): string {
  return variants.length > 1 ? `${route} ${subnet}` : subnet;
}

function printProfile(p: NonNullable<ThroughputResult["profile"]>): void {
  log(`   profiled step: ${fmt(p.wallMs, 0)} ms wall, ${fmt(p.kernelMs, 0)} ms in kernels (${fmt((100 * p.kernelMs) / p.wallMs, 0)}%)`);
  const rows = p.kernels.slice(0, 10).map((k) => [k.kernel, fmt(k.calls), fmt(k.ms, 0), `${fmt((100 * k.ms) / p.kernelMs, 1)}%`]);
  log(formatTable(["kernel", "calls", "ms", "share"], rows).replace(/^/gm, "   "));
  log("   costliest calls (kernel, input shapes):");
  const calls = p.topCalls.slice(0, 8).map((c) => [c.kernel, c.shapes, fmt(c.calls), fmt(c.ms, 0)]);
  log(formatTable(["kernel", "input shapes", "calls", "ms"], calls).replace(/^/gm, "   "));
}

interface SummaryInput {
  readonly options: BenchOptions;
  readonly backend: BenchBackend | null;
  readonly data: { batches: TranslationBatch[]; vocabSize: number; stats: ReturnType<typeof batchStats> } | null;
  readonly matmul: MatmulResult | null;
  readonly peak: PeakFlops | null;
  readonly ours: Record<string, ThroughputResult | null>;
  readonly variants: readonly ComputeVariant[];
  readonly bert: BertBenchResult | null;
  readonly matmuls: Record<string, MatmulResult | null>;
  readonly torch: TorchOutput | null;
  readonly torchStatus: TorchAvailability | null;
  readonly subnets: readonly { label: string; arch: Arch }[];
  readonly space: ReturnType<typeof getSpace>;
  readonly loadAtStart: number;
  readonly mosOverhead: readonly MosOverhead[];
  readonly moeStep: MoeStepResult | null;
  readonly started: number;
}

function summarize(s: SummaryInput): void {
  const comparison = (s.variants.length > 0 ? s.variants : [{ label: "" }]).flatMap((variant) => s.subnets.map(({ label, arch }) => {
    const o = s.ours[variantKey(variant.label, label, s.variants)];
    const t = s.torch?.subnets.find((x) => x.label === label && !x.error);
    const ratio = o && t?.tokensPerSec ? o.tokensPerSec / t.tokensPerSec : null;
    return {
      label,
      route: variant.label,
      params: s.data ? archParams(s.space, arch, s.data.vocabSize) : null,
      oursTokensPerSec: o?.tokensPerSec ?? null,
      oursMsPerStep: o?.msPerStep ?? null,
      oursSteps: o?.steps ?? null,
      torchTokensPerSec: t?.tokensPerSec ?? null,
      torchMsPerStep: t?.msPerStep ?? null,
      ratio,
      oursInitLoss: o?.initEvalLoss ?? null,
      torchInitLoss: t?.initEvalLoss ?? null,
      oursMeanTrainLoss: o?.meanTrainLoss ?? null,
      torchMeanTrainLoss: t?.meanTrainLoss ?? null,
    };
  }));
  const largest = comparison.find((c) => c.label === "largest" && c.route === (s.variants[0]?.label ?? ""));
  const goal = { metric: `ours/PyTorch target tokens/s, largest subnet${largest?.route ? `, ${largest.route}` : ""}`, target: goalRatio, value: largest?.ratio ?? null, met: largest?.ratio == null ? null : largest.ratio >= goalRatio };
  const matmulShare = s.matmul && s.peak ? s.matmul.medianGflops / s.peak.gflops : null;
  const totalSeconds = (performance.now() - s.started) / 1000;

  log("\n== summary");
  log(s.backend ? s.backend.description + (s.backend.note ? `  [note: ${s.backend.note}]` : "") : "backend: FAILED");
  const header = ["route", "subnet", "params", "ours tok/s", "ours ms/step", "steps", "torch tok/s", "torch ms/step", "ours/torch", "init loss ours/torch"];
  const rows = comparison.map((c) => [
    c.route,
    c.label,
    c.params === null ? "-" : `${fmt(c.params / 1e6, 2)}M`,
    fmt(c.oursTokensPerSec),
    fmt(c.oursMsPerStep),
    fmt(c.oursSteps),
    fmt(c.torchTokensPerSec),
    fmt(c.torchMsPerStep),
    c.ratio === null ? "-" : `${fmt(c.ratio, 3)}x`,
    `${fmt(c.oursInitLoss, 4)} / ${fmt(c.torchInitLoss, 4)}`,
  ]);
  log(formatTable(header, rows));
  // Same model, weights and batches on both sides: the initial losses must agree, or the speed
  // comparison is between two different computations and means nothing.
  const lossMismatches = comparison.filter((c) => c.oursInitLoss !== null && c.torchInitLoss !== null && Math.abs(c.oursInitLoss - c.torchInitLoss) > lossTolerance * Math.abs(c.torchInitLoss));
  const lossChecked = comparison.filter((c) => c.oursInitLoss !== null && c.torchInitLoss !== null).length;
  if (lossMismatches.length > 0) {
    errors["loss check"] = `initial losses differ by more than ${lossTolerance} relative: ${lossMismatches.map((c) => `${c.label} ${fmt(c.oursInitLoss, 5)} vs ${fmt(c.torchInitLoss, 5)}`).join("; ")}`;
    process.exitCode = 1;
  }
  if (s.bert) {
    log(formatTable(
      ["BERT route", "params", "ours masked tok/s", "ours ms/step", "torch masked tok/s", "ours/torch", "init loss ours/torch"],
      s.bert.rows.map((r) => [r.route, `${fmt(r.params / 1e6, 2)}M`, fmt(r.ours.tokensPerSec), fmt(r.ours.msPerStep), fmt(r.torchTokensPerSec), r.ratio === null ? "-" : `${fmt(r.ratio, 3)}x`, `${fmt(r.ours.initEvalLoss, 4)} / ${fmt(r.torchInitLoss, 4)}`]),
    ));
    const bad = s.bert.rows.filter((r) => r.lossAgrees === false);
    if (bad.length > 0) {
      errors["BERT loss check"] = `initial masked-LM losses differ by more than ${lossTolerance} relative: ${bad.map((r) => `${r.route} ${fmt(r.ours.initEvalLoss, 5)} vs ${fmt(r.torchInitLoss, 5)}`).join("; ")}`;
      process.exitCode = 1;
    }
    const checked = s.bert.rows.filter((r) => r.lossAgrees !== null).length;
    log(`BERT loss check (relative tolerance ${lossTolerance}): ${checked === 0 ? "not run (no PyTorch loss)" : bad.length === 0 ? `${checked} routes agree` : "FAILED"}`);
  }
  log(`loss check (relative tolerance ${lossTolerance}): ${lossChecked === 0 ? "not run (no PyTorch losses)" : lossMismatches.length === 0 ? `${lossChecked} subnets agree` : "FAILED"}`);
  const goalLine =
    goal.value === null
      ? `goal: ${goal.metric} >= ${goalRatio}x: not measured`
      : `goal: ${goal.metric} >= ${goalRatio}x: ${goal.met ? "MET" : "NOT MET"} (${fmt(goal.value, 3)}x)`;
  log(goalLine);
  const peakText = s.peak ? `${fmt(s.peak.gflops, 0)} GFLOP/s peak on ${s.peak.threads} threads (${s.peak.source}: ${s.peak.detail})` : "peak: FAILED";
  for (const [route, m] of Object.entries(s.matmuls)) {
    // The CPU's peak says nothing about a GPU route.
    const share = m && s.peak && route !== "webgpu" ? m.medianGflops / s.peak.gflops : null;
    log(`matmul 1024^3 (${route}): ${m ? `${fmt(m.medianGflops, 1)} GFLOP/s` : "FAILED"}` + (share === null ? "" : ` = ${fmt(100 * share, 1)}% of ${peakText}`));
  }
  const matmulGoal = { metric: `matmul 1024^3 GFLOP/s${s.variants[0] ? `, ${s.variants[0].label}` : ""}`, target: goalMatmulGflops, value: s.matmul?.medianGflops ?? null, met: s.matmul ? s.matmul.medianGflops >= goalMatmulGflops : null };
  log(`goal: ${matmulGoal.metric} >= ${goalMatmulGflops}: ${matmulGoal.value === null ? "not measured" : `${matmulGoal.met ? "MET" : "NOT MET"} (${fmt(matmulGoal.value, 1)})`}`);
  if (s.torch?.matmul) log(`matmul 1024^3 (torch ${s.torch.torchVersion}, ${s.torch.threads} threads): ${fmt(s.torch.matmul.medianGflops, 1)} GFLOP/s` + (s.peak ? ` = ${fmt((100 * s.torch.matmul.medianGflops) / s.peak.gflops, 1)}% of peak` : ""));
  for (const n of notes) log(`note: ${n}`);
  for (const [name, message] of Object.entries(errors)) log(`failed: ${name}: ${message.split("\n")[0]}`);
  log(`total ${totalSeconds.toFixed(0)} s`);

  const file = path.join(outputDir, "bench", "results.json");
  try {
    atomicWriteJson(file, {
      date: new Date().toISOString(),
      gitRevision: gitRevision(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version, loadAverageAtStart: s.loadAtStart, loadAverageAtEnd: os.loadavg()[0] },
      options: s.options,
      settings: { space: s.space.name, data: { ...benchDataOptions, maxTokens: s.options.maxTokens }, seed, lr, torchThreads, torchDevice: s.options.torchDevice, goalRatio },
      backend: s.backend,
      data: s.data?.stats ?? null,
      matmul: s.matmul,
      matmulByRoute: s.matmuls,
      peak: s.peak,
      matmulShareOfPeak: matmulShare,
      training: s.ours,
      torch: s.torch,
      torchAvailability: s.torchStatus,
      bert: s.bert,
      mosOverhead: s.mosOverhead,
      moeStep: s.moeStep,
      comparison,
      goal,
      matmulGoal,
      notes,
      errors,
      totalSeconds,
    });
    log(`results: ${path.relative(process.cwd(), file)}`);
  } catch (err) {
    log(`could not write ${file}: ${(err as Error).message}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
});
