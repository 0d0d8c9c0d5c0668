/**
 * The saved form of a BPE tokenizer: a versioned plain object holding only the model (specials,
 * alphabet, ranked merges as piece pairs, like a `merges.txt`); ids are derived on load. Loading
 * checks the shape here and the consistency of the pieces in build-vocab.ts, and every error
 * names the field at fault.
 */
import { BpeModel } from "./build-vocab";

/** Value of the `format` field. */
export const BPE_JSON_FORMAT = "supernet-lab/bpe";
/** Current version of the saved form; bump it when the meaning of a saved tokenizer changes. */
export const BPE_JSON_VERSION = 1;

/** A saved BPE tokenizer. */
export interface BpeTokenizerJson {
  readonly format: typeof BPE_JSON_FORMAT;
  readonly version: typeof BPE_JSON_VERSION;
  /** Number of ids, a check against truncated files. */
  readonly vocabSize: number;
  /** Extra control tokens after pad, bos, eos, unk. */
  readonly specials: readonly string[];
  /** The word-start marker "▁" followed by single characters. */
  readonly alphabet: readonly string[];
  /** Merges in rank order, as [left piece, right piece]. */
  readonly merges: readonly (readonly [string, string])[];
}

const where = "BpeTokenizer.fromJSON";

/** Checks the shape of a saved tokenizer and returns its model and declared vocabSize. */
export function parseTokenizerJson(json: unknown): { model: BpeModel; vocabSize: number } {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error(`${where}: expected a plain object, got ${describe(json)}`);
  }
  const o = json as Record<string, unknown>;
  if (o.format !== BPE_JSON_FORMAT) throw new Error(`${where}: format must be "${BPE_JSON_FORMAT}", got ${describe(o.format)}`);
  if (o.version !== BPE_JSON_VERSION) {
    throw new Error(`${where}: version must be ${BPE_JSON_VERSION} (the only version this code reads), got ${describe(o.version)}`);
  }
  if (!Number.isInteger(o.vocabSize)) throw new Error(`${where}: vocabSize must be an integer, got ${describe(o.vocabSize)}`);
  const specials = stringArray(o.specials, "specials");
  const alphabet = stringArray(o.alphabet, "alphabet");
  if (!Array.isArray(o.merges)) throw new Error(`${where}: merges must be an array of [left, right] piece pairs, got ${describe(o.merges)}`);
  const merges = o.merges.map((m: unknown, i): readonly [string, string] => {
    if (!Array.isArray(m) || m.length !== 2 || typeof m[0] !== "string" || typeof m[1] !== "string") {
      throw new Error(`${where}: merges[${i}] must be a pair of strings [left, right], got ${describe(m)}`);
    }
    return [m[0], m[1]];
  });
  return { model: { specials, alphabet, merges }, vocabSize: o.vocabSize as number };
}

function stringArray(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${where}: ${field} must be an array of strings, got ${describe(value)}`);
  value.forEach((v: unknown, i) => {
    if (typeof v !== "string") throw new Error(`${where}: ${field}[${i}] must be a string, got ${describe(v)}`);
  });
  return value.slice() as string[];
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined (missing)";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
