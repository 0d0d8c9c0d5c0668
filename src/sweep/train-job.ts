/**
 * One sweep job, as a worker runs it: load the data, train the arch from scratch for the spec's
 * updates (`trainStandalone`), evaluate it on the validation set (`evaluateSubnets`; a masked-LM
 * job on the fixed validation masks) and return the record to write. Everything comes from the job input the parent wrote, never from current
 * defaults, so the record matches the settings its sweep hash was computed from.
 */
import { MaskedLmDataOptions, loadMaskedLmData } from "../data/bert/masked-lm-data";
import { TranslationDataOptions, loadTranslationData } from "../data/translation-data";
import { SubnetRow, evaluateSubnets } from "../eval/subnet-table";
import { evaluateLoss } from "../eval/validation-loss";
import { archKey } from "../space/arch-key";
import { archFlops } from "../space/flops";
import { archParams } from "../space/params";
import { archFromKey } from "../space/arch-key";
import { makeSupernetConfig } from "../supernet/config";
import { disposeParams } from "../supernet/params";
import { trainStandalone } from "../train/standalone";
import { MetricRow, makeTrainConfig } from "../train/trainer";
import type { SweepSettings } from "./identity";
import type { SweepJob } from "./jobs";
import { SweepRecord, recordFormat } from "./record";
import type { SweepSpec } from "./spec";

/** Format tag of a job input file. */
export const jobInputFormat = "supernet-lab/sweep-job@1";

/** What the parent hands a worker (as a JSON file). */
export interface SweepJobInput {
  readonly format: typeof jobInputFormat;
  readonly specHash: string;
  readonly spec: SweepSpec;
  readonly settings: SweepSettings;
  readonly job: SweepJob;
  /** Absolute path the worker writes its record to. */
  readonly resultFile: string;
  readonly gitRevision: string | null;
}

/** Trains and evaluates the job's arch; `backend` is only recorded. */
export async function trainSweepJob(input: SweepJobInput, backend: string): Promise<SweepRecord> {
  const started = Date.now();
  const { settings, job } = input;
  const arch = archFromKey(job.arch, settings.space);
  const config = makeTrainConfig({ ...settings.train, seed: job.seed });
  const options = { seed: job.seed, label: job.id, showProgress: false };
  let result: SubnetRow;
  let rows: MetricRow[];
  if (input.spec.task === "masked-lm") {
    const data = loadMaskedLmData(settings.data as MaskedLmDataOptions);
    const vocabSize = data.vocab.vocabSize;
    const parent = makeSupernetConfig(settings.space, vocabSize, settings.supernet);
    const trained = await trainStandalone(parent, arch, data, config, input.spec.updates, options);
    const model = trained.model;
    rows = trained.rows;
    const loss = await evaluateLoss(model, arch, data.validBatches);
    disposeParams(model.params);
    // Sizes without embeddings, as every subnet table here (HAT's convention); FLOPs of one
    // maxLen-token sequence (an encoder-only arch has no target side, so tgtLen is not read).
    const params = archParams(settings.space, arch, vocabSize, { includeEmbeddings: false });
    const flops = archFlops(settings.space, arch, { srcLen: (settings.data as MaskedLmDataOptions).maxLen, tgtLen: 1, vocabSize, includeEmbeddings: false });
    result = { arch: archKey(arch), params, flops, validLoss: loss.loss, perplexity: loss.perplexity, bleu: null };
  } else {
    const data = loadTranslationData(settings.data as TranslationDataOptions);
    const parent = makeSupernetConfig(settings.space, data.tokenizer.vocabSize, settings.supernet);
    const trained = await trainStandalone(parent, arch, data, config, input.spec.updates, options);
    const model = trained.model;
    rows = trained.rows;
    [result] = await evaluateSubnets(model, [arch], data, { bleu: settings.bleu, space: settings.space });
    disposeParams(model.params);
  }
  const losses = rows.filter((r) => r.metric === "train_loss");
  return {
    format: recordFormat,
    specHash: input.specHash,
    job,
    result,
    train: { updates: input.spec.updates, finalTrainLoss: losses.length ? losses[losses.length - 1].value : NaN },
    seconds: (Date.now() - started) / 1000,
    backend,
    gitRevision: input.gitRevision,
    finishedAt: new Date().toISOString(),
  };
}
