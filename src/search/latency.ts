/**
 * Measured latency of a subnet on the current backend, in the shape of HAT's latency data set:
 * translate one sentence (batch 1) with fixed source and target lengths, i.e. one encoder pass
 * plus `tgtLen` incremental decoder steps. The subnet's weights are extracted first (a deployed
 * subnet has no slicing), warm-up runs are discarded and the median of the timed runs is reported.
 *
 * Where HAT's code (latency_dataset.py) differs, and why: it times encoder and decoder apart on a
 * 30-token WMT dummy sentence, with `beam` hypotheses in the decoder and no read-back, after 5 dry
 * runs, and keeps the mean of the 10-90% trimmed runs (20 timed runs on its Xeon config). Here
 * each decoder step reads its logits back, as greedy decoding must, so the number is what a user
 * waits for; lengths and runs are options (the presets take 20 tokens and few runs to fit a 2-core
 * machine's time budget); and the median replaces the trimmed mean: on 80 `small` subnets
 * measured in four rounds here, the two statistics ranked the subnets equally stably (split-half
 * Kendall 0.668 and 0.643), while the median needs no trimming rule for 3 runs.
 *
 * Measured latency is the ground truth a latency predictor is fitted on and a budget is checked
 * against, so, like a standalone ground truth, its stability is measured before it is used: a
 * list of subnets is measured in rounds (each over the whole list, in the opposite order to the
 * round before, so a slow drift of a shared machine reaches every subnet alike), and
 * `latencyReliability` gives the agreement of two halves of the rounds.
 */
import * as tf from "@tensorflow/tfjs";
import { BOS_ID } from "../data/tokenizer/vocab";
import { kendallInterval } from "../stats/fisher-interval";
import { kendallTauB } from "../stats/kendall";
import { archKey } from "../space/arch-key";
import type { Arch } from "../space/types";
import { extractSubnet } from "../supernet/extract";
import { decodeStep, disposeCache, disposeSelfCache, startDecoding } from "../supernet/incremental";
import { disposeParams } from "../supernet/params";
import type { WeightSharingModel } from "../supernet/supernet";

/** How latency is measured. */
export interface LatencyOptions {
  /** Source tokens of the sentence. */
  readonly srcLen: number;
  /** Target tokens generated (decoder steps). */
  readonly tgtLen: number;
  /** Untimed runs first (kernels compiled, caches warm). */
  readonly warmup: number;
  /** Timed runs; the median is reported. */
  readonly repeats: number;
}

/** Defaults: a 20-token sentence each way, 1 warm-up, median of 3. */
export const latencyDefaults: LatencyOptions = Object.freeze({ srcLen: 20, tgtLen: 20, warmup: 1, repeats: 3 });

/** How a list of subnets is measured: `measureLatency`'s options and the rounds over the list. */
export interface LatencySweepOptions extends LatencyOptions {
  /** Passes over the whole list (each one's runs are kept apart, so their agreement can be measured). */
  readonly rounds: number;
}

/** One measurement. */
export interface LatencyRow {
  readonly arch: string;
  /** Median over the timed runs (of every round), milliseconds. */
  readonly ms: number;
  /** Every timed run, milliseconds, round after round. */
  readonly runs: readonly number[];
  /** Median of each round's timed runs (one entry for `measureLatency`). */
  readonly roundMs: readonly number[];
}

/** Test-retest agreement of measured latency over a list of subnets. */
export interface LatencyReliability {
  /** Subnets compared. */
  readonly n: number;
  /** Rounds each subnet was measured in, and which (1-based) make each half. */
  readonly rounds: number;
  readonly halves: readonly [readonly number[], readonly number[]];
  /** Kendall tau-b between the two halves' latencies, with its 95% Fisher-z interval. */
  readonly kendall: number;
  readonly kendallCi: [number, number];
  /** Median over subnets of |half 2 - half 1| / mean of the two. */
  readonly medianRelativeDifference: number;
  /** The bar the ranking must clear to count as stable. */
  readonly threshold: number;
  readonly reliable: boolean;
}

function checkOptions(o: LatencyOptions): void {
  for (const [field, min] of [["srcLen", 1], ["tgtLen", 1], ["warmup", 0], ["repeats", 1]] as const) {
    if (!Number.isInteger(o[field]) || o[field] < min) throw new Error(`latency: ${field} = ${o[field]} must be an integer >= ${min}`);
  }
}

function checkRounds(rounds: number): void {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`latency: rounds = ${rounds} must be an integer >= 1`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds to translate one sentence with `arch` (median of `repeats` runs). */
export async function measureLatency(model: WeightSharingModel, arch: Arch, overrides: Partial<LatencyOptions> = {}): Promise<LatencyRow> {
  const o = { ...latencyDefaults, ...overrides };
  checkOptions(o);
  const subnet = extractSubnet(model, arch);
  // Content does not change the cost of dense ops: a fixed ordinary token stands for the sentence.
  const src = tf.fill([1, o.srcLen], BOS_ID + 3, "int32") as tf.Tensor2D;
  const srcMask = tf.ones([1, o.srcLen]) as tf.Tensor2D;
  const token = tf.tensor1d([BOS_ID], "int32");
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    let cache = startDecoding(subnet.params, subnet.config, arch, src, srcMask);
    for (let i = 0; i < o.tgtLen; i++) {
      const { logits, cache: next } = decodeStep(subnet.params, subnet.config, arch, token, cache);
      await logits.data();
      logits.dispose();
      disposeSelfCache(cache);
      cache = next;
    }
    disposeCache(cache);
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < o.warmup; i++) await once();
    const runs: number[] = [];
    for (let i = 0; i < o.repeats; i++) runs.push(await once());
    return { arch: archKey(arch), ms: median(runs), runs, roundMs: [median(runs)] };
  } finally {
    tf.dispose([src, srcMask, token]);
    disposeParams(subnet.params);
  }
}

/** A subnet to time: the model it is extracted (or collapsed) from, and its arch. */
export interface LatencySubject {
  readonly model: WeightSharingModel;
  readonly arch: Arch;
}

/**
 * Measures every arch, `rounds` times over the list (default 1), the first round in list order and
 * each next one reversed; nothing else runs in between. A row's `ms` pools the timed runs of all
 * rounds. Before the first round the first arch is decoded once untimed, so that the process's first
 * decoding (kernel set-up, heap growth) is not charged to whichever subnet comes first.
 */
export async function measureLatencies(model: WeightSharingModel, archs: readonly Arch[], overrides: Partial<LatencySweepOptions> = {}): Promise<LatencyRow[]> {
  return measureLatencyRounds(archs.map((arch) => ({ model, arch })), overrides);
}

/**
 * `measureLatencies` over subnets of several models (say, the dense and the sparse subnets a
 * search found), interleaved in one list so that every round times all of them under the same
 * machine state: comparing models measured one after the other would charge a drift to the model.
 */
export async function measureLatencyRounds(subjects: readonly LatencySubject[], overrides: Partial<LatencySweepOptions> = {}): Promise<LatencyRow[]> {
  const { rounds = 1, ...single } = overrides;
  checkRounds(rounds);
  checkOptions({ ...latencyDefaults, ...single });
  if (subjects.length === 0) return [];
  await measureLatency(subjects[0].model, subjects[0].arch, { ...single, warmup: 0, repeats: 1 });
  const bySubject: LatencyRow[][] = subjects.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = subjects.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) bySubject[i].push(await measureLatency(subjects[i].model, subjects[i].arch, single));
  }
  return bySubject.map((measured) => {
    const runs = measured.flatMap((m) => m.runs);
    return { arch: measured[0].arch, ms: median(runs), runs, roundMs: measured.map((m) => m.ms) };
  });
}

/**
 * The rounds split into two halves balanced for order: rounds 1, 4, 5, 8, … against 2, 3, 6, 7, …
 * (with 2 rounds, simply 1 against 2). Each half then holds as many forward as reversed rounds
 * once the count is a multiple of 4, so a drift along the list does not separate the halves.
 */
export function latencyHalves(rounds: number): [number[], number[]] {
  if (!Number.isInteger(rounds) || rounds < 2 || rounds % 2 !== 0) throw new Error(`latencyHalves: rounds = ${rounds} must be an even integer >= 2, so that the two halves hold as many rounds`);
  const first: number[] = [];
  const second: number[] = [];
  for (let r = 0; r < rounds; r++) (r % 4 === 0 || r % 4 === 3 ? first : second).push(r + 1);
  return [first, second];
}

/** Each row's latency within each half of its rounds: the median of that half's pooled timed runs. */
export function latencyByHalf(rows: readonly LatencyRow[]): [number, number][] {
  const rounds = rows[0]?.roundMs.length ?? 0;
  const odd = rows.find((r) => r.roundMs.length !== rounds || r.roundMs.length < 2 || r.roundMs.length % 2 !== 0);
  if (odd !== undefined) throw new Error(`latencyByHalf: every row needs the same even number of rounds, at least 2 (measureLatencies with rounds = 2, 4, …); ${odd.arch} has ${odd.roundMs.length}${odd.roundMs.length !== rounds ? ` against ${rounds} for ${rows[0].arch}` : ""}`);
  const halves = latencyHalves(rounds);
  return rows.map((r) => {
    const perRound = r.runs.length / rounds;
    if (!Number.isInteger(perRound)) throw new Error(`latencyByHalf: ${r.arch} has ${r.runs.length} runs over ${rounds} rounds; every round must hold as many`);
    const pooled = (half: readonly number[]) => median(half.flatMap((k) => r.runs.slice((k - 1) * perRound, k * perRound)));
    return [pooled(halves[0]), pooled(halves[1])];
  });
}

/**
 * Whether measured latency ranks subnets the same way twice: Kendall tau-b between the two halves
 * of the rounds (`latencyHalves`; with its interval and n) against a bar (default 0.7, as for the
 * standalone ground truth). A subnet's latency pools both halves, so it is steadier than either:
 * the agreement is a lower bound on the stability of what a predictor is fitted on.
 */
export function latencyReliability(rows: readonly LatencyRow[], threshold = 0.7): LatencyReliability {
  // The Fisher-z interval needs n >= 5.
  if (rows.length < 5) throw new Error(`latencyReliability: needs at least 5 subnets; got ${rows.length}`);
  const byHalf = latencyByHalf(rows);
  const first = byHalf.map((h) => h[0]);
  const second = byHalf.map((h) => h[1]);
  const kendall = kendallTauB(first, second);
  const relative = byHalf.map(([a, b]) => Math.abs(b - a) / ((a + b) / 2));
  const rounds = rows[0].roundMs.length;
  return { n: rows.length, rounds, halves: latencyHalves(rounds), kendall, kendallCi: kendallInterval(kendall, rows.length), medianRelativeDifference: median(relative), threshold, reliable: kendall > threshold };
}
