/**
 * BERT's masked-language-model corruption (Devlin et al., 2019, §3.1 and appendix A.1): of the
 * non-special positions of a sequence, a fixed share is chosen for prediction; a chosen position is
 * replaced by [MASK] with probability 0.8, by a random ordinary token with probability 0.1, and kept
 * otherwise, so the model cannot learn that only [MASK] positions matter. As in BERT's
 * `create_pretraining_data.py` the number chosen is exact, max(1, round(rate × maskable)), rather
 * than a coin per position: every sequence with a maskable token teaches something, and short
 * sequences do not swing between none and many. The random replacement is drawn from ordinary ids
 * only (BERT draws from the whole vocabulary), so specials never appear where text was.
 */
import { Rng } from "../../util/rng";
import { BertVocab, isSpecialId } from "./bert-vocab";

/** Label of a position that is not predicted, as in PyTorch's cross-entropy `ignore_index`. */
export const IGNORE_LABEL = -100;

/** How positions are chosen and corrupted. */
export interface MaskingOptions {
  /** Share of a sequence's non-special positions chosen for prediction; in (0, 1]. */
  readonly maskRate: number;
  /** Share of the chosen positions replaced by [MASK]; in [0, 1]. */
  readonly maskTokenRate: number;
  /** Share of the chosen positions replaced by a random ordinary token; the rest keep their id. */
  readonly randomTokenRate: number;
}

/** BERT's rates: 15% chosen, of which 80% [MASK], 10% random, 10% kept. */
export const maskingDefaults: MaskingOptions = Object.freeze({ maskRate: 0.15, maskTokenRate: 0.8, randomTokenRate: 0.1 });

/** One corrupted sequence. */
export interface MaskedSequence {
  /** The model's input: the ids with the chosen positions corrupted. */
  readonly inputIds: Int32Array;
  /** The original id at chosen positions, IGNORE_LABEL elsewhere. */
  readonly labels: Int32Array;
  /** Number of chosen positions. */
  readonly numChosen: number;
}

/** Chooses and corrupts MLM positions of one sequence; specials are never chosen. */
export function maskTokens(ids: ArrayLike<number>, vocab: BertVocab, rng: Rng, options: Partial<MaskingOptions> = {}): MaskedSequence {
  const opts = resolveMaskingOptions(options, "maskTokens");
  if (!(rng instanceof Rng)) throw new Error("maskTokens: rng must be an Rng (new Rng(seed))");
  checkSequence(ids, vocab, "maskTokens: ids");
  const inputIds = Int32Array.from(ids);
  const labels = new Int32Array(ids.length).fill(IGNORE_LABEL);
  const numChosen = maskInto(inputIds, labels, null, 0, ids.length, vocab, rng, opts);
  return { inputIds, labels, numChosen };
}

/** Number of positions chosen among `maskable` ones. */
export function numToMask(maskable: number, maskRate: number): number {
  return maskable === 0 ? 0 : Math.max(1, Math.min(maskable, Math.round(maskRate * maskable)));
}

/**
 * Corrupts input[start, end) in place, writing labels (and 1s in labelMask when given); trusts its
 * arguments. Returns the number chosen. Random draws happen in a fixed order (positions, then one
 * draw per chosen position in choice order), which is what makes a seed reproduce a batch.
 */
export function maskInto(
  input: Int32Array, labels: Int32Array, labelMask: Float32Array | null, start: number, end: number,
  vocab: BertVocab, rng: Rng, opts: MaskingOptions,
): number {
  const candidates: number[] = [];
  for (let p = start; p < end; p++) if (!isSpecialId(vocab, input[p])) candidates.push(p);
  const k = numToMask(candidates.length, opts.maskRate);
  const numOrdinary = vocab.tokenizerVocabSize - vocab.firstOrdinaryId;
  const randomBelow = opts.maskTokenRate + opts.randomTokenRate;
  for (let j = 0; j < k; j++) {
    // Partial Fisher-Yates: the first k entries become a uniform k-subset.
    const r = j + rng.int(candidates.length - j);
    const p = candidates[r];
    candidates[r] = candidates[j];
    candidates[j] = p;
    labels[p] = input[p];
    if (labelMask !== null) labelMask[p] = 1;
    const u = rng.next();
    if (u < opts.maskTokenRate) input[p] = vocab.maskId;
    else if (u < randomBelow) input[p] = vocab.firstOrdinaryId + rng.int(numOrdinary);
  }
  return k;
}

/** Checks masking rates and fills in defaults; `where` names the caller in errors. */
export function resolveMaskingOptions(options: Partial<MaskingOptions>, where: string): MaskingOptions {
  const o = { ...maskingDefaults, ...options };
  if (!(o.maskRate > 0 && o.maskRate <= 1)) throw new Error(`${where}: maskRate must be in (0, 1], got ${o.maskRate}`);
  if (!(o.maskTokenRate >= 0 && o.maskTokenRate <= 1)) throw new Error(`${where}: maskTokenRate must be in [0, 1], got ${o.maskTokenRate}`);
  // The tolerance lets 0.8 + 0.2 pass despite floating-point rounding.
  if (!(o.randomTokenRate >= 0 && o.maskTokenRate + o.randomTokenRate <= 1 + 1e-12)) {
    throw new Error(`${where}: randomTokenRate must be in [0, 1 - maskTokenRate] = [0, ${1 - o.maskTokenRate}], got ${o.randomTokenRate}`);
  }
  return o;
}

/** Checks that every id of a sequence is in the BERT vocabulary; `name` prefixes errors. */
export function checkSequence(ids: ArrayLike<number>, vocab: BertVocab, name: string): void {
  if (ids === null || typeof ids !== "object" || typeof ids.length !== "number") {
    throw new Error(`${name} must be an array of token ids, got ${ids === null ? "null" : typeof ids}`);
  }
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (!Number.isInteger(id) || id < 0 || id >= vocab.vocabSize) {
      throw new Error(`${name}[${k}] must be an integer in [0, ${vocab.vocabSize - 1}], got ${id}`);
    }
  }
}
