/**
 * Masked-LM training throughput of the largest `bert-small` subnet: the project's trainer on each
 * compute route against bench/torch_reference.py on the same initial weights and the same masked
 * Brown batches. Tokens are the masked positions the loss is taken on (numTargetTokens of an MLM
 * batch), counted the same way on both sides. The eval-mode loss at initialisation must agree
 * within `lossTolerance`, or the two sides ran different models and the speed ratio means nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadMaskedLmData } from "../src/data/bert/index";
import { archParams, getBertSpace, largestArch } from "../src/space/index";
import { supernetDefaults } from "../src/supernet/index";
import { adamDefaults } from "../src/train/index";
import type { ComputeVariant } from "./compute-variants";
import { WeightManifest, exportWeights } from "./export-weights";
import { batchJson } from "./bench-batches";
import { fmt } from "./format-table";
import { TorchAvailability, ensureTorch, runTorchReference } from "./torch-reference";
import { ThroughputResult, archDropoutRates, benchTrainConfig, measureTrainingThroughput } from "./train-throughput";

/** Data of the BERT benchmark: the `small` BERT preset's tokenizer and sequence length. */
export const bertBenchData = Object.freeze({ vocabSize: 2000, maxLen: 128, maxTokens: 2048, trainSequences: 1200, validSequences: 16, seed: 1 });

/** One route's MLM throughput and PyTorch's, with the initial-loss check. */
export interface BertBenchRow {
  readonly route: string;
  readonly params: number;
  readonly ours: ThroughputResult;
  readonly torchTokensPerSec: number | null;
  readonly ratio: number | null;
  readonly torchInitLoss: number | null;
  /** null when PyTorch did not run. */
  readonly lossAgrees: boolean | null;
}

/** What the BERT section measured. */
export interface BertBenchResult {
  readonly rows: BertBenchRow[];
  readonly torch: TorchAvailability | null;
  readonly torchError?: string;
}

interface Options {
  readonly variants: readonly ComputeVariant[];
  readonly warmup: number;
  readonly steps: number;
  readonly budgetSeconds: number;
  readonly seed: number;
  readonly lr: number;
  readonly torch: boolean;
  readonly torchThreads: number;
  readonly lossTolerance: number;
  readonly log: (line: string) => void;
}

/** Runs the BERT MLM comparison on every route, then PyTorch once. */
export async function benchBert(o: Options): Promise<BertBenchResult> {
  const space = getBertSpace("bert-small");
  const arch = largestArch(space);
  const data = loadMaskedLmData(bertBenchData);
  const batches = data.batchesForEpoch(0).slice(0, o.warmup + o.steps);
  if (batches.length < o.warmup + 1) throw new Error(`bench: BERT needs ${o.warmup + 1} batches, the data gives ${batches.length}`);
  // [MASK] may extend the tokenizer's vocabulary by one id.
  const vocabSize = data.vocab.vocabSize;
  const params = archParams(space, arch, vocabSize);
  o.log(`   bert-small largest subnet, ${params.toLocaleString("en-US")} parameters; ${batches.length} masked Brown batches (vocab ${vocabSize}, length ${bertBenchData.maxLen})`);
  const exchange = fs.mkdtempSync(path.join(os.tmpdir(), "supernet-bench-bert-"));
  try {
    let weights: WeightManifest | null = null;
    const ours: { route: string; result: ThroughputResult }[] = [];
    for (const variant of o.variants) {
      await variant.enable();
      const result = await measureTrainingThroughput({
        label: `bert ${variant.label}`,
        space,
        arch,
        vocabSize,
        batches,
        warmupSteps: o.warmup,
        steps: o.steps,
        budgetSeconds: o.budgetSeconds,
        minSteps: Math.min(3, o.steps),
        seed: o.seed,
        lr: o.lr,
        profile: false,
        onModel: async (model) => {
          if (o.torch && weights === null) weights = await exportWeights(model.params, exchange);
        },
      });
      o.log(`   ours (${variant.label}): ${fmt(result.tokensPerSec, 0)} masked tokens/s, ${fmt(result.msPerStep, 0)} ms/step over ${result.steps} steps, initial loss ${fmt(result.initEvalLoss, 4)}`);
      ours.push({ route: variant.label, result });
    }
    await o.variants[0]?.enable();
    let torch: TorchAvailability | null = null;
    let torchRow: { tokensPerSec?: number; initEvalLoss?: number; error?: string } | null = null;
    let torchError: string | undefined;
    if (o.torch) {
      torch = ensureTorch(o.log);
      if (!torch.ok) {
        torchError = `PyTorch comparison skipped: ${torch.why}`;
      } else {
        const config = benchTrainConfig(o.lr, o.seed);
        const input = {
          threads: o.torchThreads,
          seed: o.seed,
          lr: o.lr,
          adam: adamDefaults,
          clipNorm: config.clipNorm,
          labelSmoothing: config.labelSmoothing,
          vocabSize,
          qkvDim: space.qkvDim,
          mode: "supernet",
          warmupSteps: o.warmup,
          weights,
          batches: batches.map(batchJson),
          subnets: [{ label: "bert-largest", arch, rates: archDropoutRates(space, arch, supernetDefaults), steps: ours[0]?.result.steps ?? o.steps }],
        };
        const inputFile = path.join(exchange, "input.json");
        fs.writeFileSync(inputFile, JSON.stringify(input));
        const out = runTorchReference(inputFile, o.torchThreads, 600) as { subnets: { tokensPerSec?: number; initEvalLoss?: number; error?: string }[] };
        torchRow = out.subnets[0] ?? null;
        if (torchRow?.error) torchError = `PyTorch failed: ${torchRow.error}`;
        else o.log(`   PyTorch: ${fmt(torchRow?.tokensPerSec, 0)} masked tokens/s, initial loss ${fmt(torchRow?.initEvalLoss, 4)}`);
      }
    }
    const rows = ours.map(({ route, result }) => {
      const torchTokensPerSec = torchRow?.tokensPerSec ?? null;
      const torchInitLoss = torchRow?.initEvalLoss ?? null;
      return {
        route,
        params,
        ours: result,
        torchTokensPerSec,
        ratio: torchTokensPerSec ? result.tokensPerSec / torchTokensPerSec : null,
        torchInitLoss,
        lossAgrees: torchInitLoss === null ? null : Math.abs(result.initEvalLoss - torchInitLoss) <= o.lossTolerance * Math.abs(torchInitLoss),
      };
    });
    return { rows, torch, ...(torchError ? { torchError } : {}) };
  } finally {
    fs.rmSync(exchange, { recursive: true, force: true });
  }
}
