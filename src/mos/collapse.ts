/**
 * Collapse: materialise one arch's generated weights as a plain standalone subnet. After
 * training, a MoS subnet is deployed as an ordinary Transformer of exactly its arch's sizes:
 * no experts, no router, zero inference overhead. It is subnet extraction applied to a MoS
 * model, under the name the paper gives it.
 */
import type { Arch } from "../space/types";
import { extractSubnet } from "../supernet/extract";
import type { Supernet } from "../supernet/supernet";
import type { MosSupernet } from "./mos-supernet";

/** A standalone subnet whose logits equal the MoS supernet's for `arch`. */
export function collapse(model: MosSupernet, arch: Arch): Supernet {
  return extractSubnet(model, arch);
}
