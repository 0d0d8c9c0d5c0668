/**
 * One sweep job, as a worker runs it: load the data, train the arch from scratch for the spec's
 * updates (`trainStandalone`), evaluate it on the validation set (`evaluateSubnets`) and return
 * the record to write. Everything comes from the job input the parent wrote, never from current
 * defaults, so the record matches the settings its sweep hash was computed from.
 */
import { loadTranslationData } from "../data/translation-data";
import { evaluateSubnets } from "../eval/subnet-table";
import { archFromKey } from "../space/arch-key";
import { makeSupernetConfig } from "../supernet/config";
import { disposeParams } from "../supernet/params";
import { trainStandalone } from "../train/standalone";
import { makeTrainConfig } from "../train/trainer";
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
  const data = loadTranslationData(settings.data);
  const arch = archFromKey(job.arch, settings.space);
  const parent = makeSupernetConfig(settings.space, data.tokenizer.vocabSize, settings.supernet);
  const config = makeTrainConfig({ ...settings.train, seed: job.seed });
  const { model, rows } = await trainStandalone(parent, arch, data, config, input.spec.updates, { seed: job.seed, label: job.id, showProgress: false });
  const [result] = await evaluateSubnets(model, [arch], data, { bleu: settings.bleu, space: settings.space });
  disposeParams(model.params);
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
