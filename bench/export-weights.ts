/**
 * Export of a supernet's shared weights for torch_reference.py: one raw little-endian float32 file
 * and a manifest of names, shapes and element offsets, so the PyTorch model starts from exactly the
 * same weights and its initial loss can be compared with ours.
 */
import * as fs from "fs";
import * as os from "os";
import type { SupernetParams } from "../src/supernet/index";

/** Where each weight lies in the raw file. */
export interface WeightManifest {
  readonly file: string;
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[]; readonly offset: number }[];
}

/** Writes every weight to `file` (a path inside the exchange folder) and returns the manifest. */
export async function exportWeights(params: SupernetParams, dir: string, file = "weights.f32"): Promise<WeightManifest> {
  if (os.endianness() !== "LE") throw new Error("exportWeights: the raw format is little-endian; this machine is not");
  const entries = Object.entries(params);
  const total = entries.reduce((n, [, v]) => n + v.size, 0);
  const flat = new Float32Array(total);
  const tensors: { name: string; shape: number[]; offset: number }[] = [];
  let offset = 0;
  for (const [name, v] of entries) {
    flat.set((await v.data()) as Float32Array, offset);
    tensors.push({ name, shape: v.shape.slice(), offset });
    offset += v.size;
  }
  fs.writeFileSync(`${dir}/${file}`, new Uint8Array(flat.buffer));
  return { file, tensors };
}
