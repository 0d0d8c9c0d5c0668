/**
 * The checkpoint file format: one file, written atomically, that either loads whole or fails
 * with a clear error. Layout: the magic "SUPERNET-CKPT\n", a little-endian uint32 header length,
 * a UTF-8 JSON header (format version, metadata, tensor table, SHA-256 of the payload), then the
 * payload of float32 tensors back to back.
 */
import { sha256 } from "../../util/atomic-write";

/** Bumped whenever the layout or the meaning of a field changes. */
export const checkpointFormatVersion = 1;
const magic = Buffer.from("SUPERNET-CKPT\n", "ascii");

/** One stored tensor. */
export interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly length: number;
}

interface Header {
  readonly formatVersion: number;
  readonly meta: unknown;
  readonly tensors: readonly TensorEntry[];
  readonly payloadSha256: string;
}

/** Serialises metadata and tensors into checkpoint bytes. */
export function encodeCheckpoint(meta: unknown, tensors: readonly StoredTensor[]): Buffer {
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    entries.push({ name: t.name, shape: t.shape, offset, length: t.values.length });
    offset += t.values.length;
  }
  const payload = Buffer.alloc(offset * 4);
  for (let i = 0; i < tensors.length; i++) {
    const v = tensors[i].values;
    Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(payload, entries[i].offset * 4);
  }
  const header: Header = { formatVersion: checkpointFormatVersion, meta, tensors: entries, payloadSha256: sha256(payload) };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length, 0);
  return Buffer.concat([magic, length, headerBytes, payload]);
}

/** Parses checkpoint bytes; throws naming the file and what is wrong (never returns partial data). */
export function decodeCheckpoint(bytes: Buffer, file = "<checkpoint>"): { meta: unknown; tensors: Map<string, StoredTensor> } {
  const fail = (why: string): never => {
    throw new Error(`checkpoint ${file} is unusable: ${why}`);
  };
  if (bytes.length < magic.length + 4 || !bytes.subarray(0, magic.length).equals(magic)) fail("not a supernet-lab checkpoint (bad magic bytes)");
  const headerLength = bytes.readUInt32LE(magic.length);
  const headerStart = magic.length + 4;
  if (headerStart + headerLength > bytes.length) fail(`truncated: header of ${headerLength} bytes, file of ${bytes.length}`);
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString("utf8")) as Header;
  } catch (err) {
    return fail(`corrupt header (${(err as Error).message})`);
  }
  if (header.formatVersion !== checkpointFormatVersion) fail(`format version ${header.formatVersion}; this version reads ${checkpointFormatVersion}`);
  const payload = bytes.subarray(headerStart + headerLength);
  const expected = header.tensors.reduce((n, t) => n + t.length, 0) * 4;
  if (payload.length !== expected) fail(`truncated or padded payload: ${payload.length} bytes, expected ${expected}`);
  if (sha256(payload) !== header.payloadSha256) fail("payload checksum mismatch (corrupt data)");
  const aligned = new Float32Array(expected / 4);
  Buffer.from(aligned.buffer).set(payload);
  const tensors = new Map<string, StoredTensor>();
  for (const e of header.tensors) {
    if (e.shape.reduce((a, b) => a * b, 1) !== e.length) fail(`tensor ${e.name}: shape [${e.shape}] does not hold ${e.length} values`);
    tensors.set(e.name, { name: e.name, shape: e.shape, values: aligned.subarray(e.offset, e.offset + e.length) });
  }
  return { meta: header.meta, tensors };
}
