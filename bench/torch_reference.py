#!/usr/bin/python3
"""PyTorch reference for `npm run bench`: the supernet's forward pass for a fixed arch, trained on the
same batches as the TypeScript trainer, so that tokens/s can be compared framework against framework.

It mirrors src/supernet/{layers,attention,encoder,decoder,forward,loss}.ts line for line:
pre-norm encoder-decoder; one shared embedding table (vocab x d) scaled by sqrt(d) plus fairseq
sinusoidal positions (sin in the first half of the channels, cos in the second); tied output
projection; q/k/v of fixed width qkvDim split into the layer's heads, queries scaled by
1/sqrt(head size) after the projection; additive -1e9 masks; FFN with relu; every encoder layer's
output passed through the final encoder LayerNorm, a decoder layer attending to the last
crossLayers[l] of them concatenated along time; label-smoothed cross entropy averaged over real
target tokens; Adam(0.9, 0.98, eps 1e-9); global gradient-norm clipping; dropout scaled with width
as HAT does (the rates come in the input).

An encoder-only (BERT) arch has no "decoder": its logits come from the last encoder state through
the tied embedding table, and its targets are the masked positions (tgtOut under tgtMask), so the
same loss is the masked-LM loss of src/data/bert/masked-lm-loss.ts (with the same smoothing).

Weights are held as HAT holds them: the max-size shared tensors, laid out [in, out], sliced to the
arch's first-k rows/columns inside the forward pass ("supernet" mode, the like-for-like reference
for supernet training: gradients and Adam updates are full-size). "standalone" mode clones the
slices once instead. With the initial weights of the TypeScript supernet given, the eval-mode loss
at initialisation must equal the TypeScript one: that checks that the two models are the same.

Runs on the CPU unless SUPERNET_TORCH_DEVICE (or the input's "device") names another device, such
as cuda: weights, batches and masks then live there, and reading each step's loss waits for the
device, so the step times are whole.

Usage: torch_reference.py INPUT.json  ->  prints one JSON object on stdout (the last line).
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

# Where the model, batches and masks live; main() sets it from the environment or the input.
DEVICE = torch.device("cpu")


def load_weights(spec, base_dir):
    """Named float32 tensors from the raw little-endian file written by the TypeScript side."""
    with open(os.path.join(base_dir, spec["file"]), "rb") as f:
        flat = torch.frombuffer(bytearray(f.read()), dtype=torch.float32)
    out = {}
    for t in spec["tensors"]:
        size = math.prod(t["shape"])
        out[t["name"]] = flat[t["offset"]:t["offset"] + size].view(*t["shape"])
    return out


def used_shapes(arch, vocab, qkv):
    """The first-k block of each shared weight the arch uses: name -> sliced shape ([in, out] for .w)."""
    e = arch["encoder"]["embedDim"]
    d = arch["decoder"]["embedDim"] if "decoder" in arch else e
    shapes = {"embed": [vocab, max(e, d)]}

    def linear(name, i, o):
        shapes[name + ".w"] = [i, o]
        shapes[name + ".b"] = [o]

    def norm(name, dim):
        shapes[name + ".g"] = [dim]
        shapes[name + ".b"] = [dim]

    def attn(name, q_in, kv_in, out):
        linear(name + ".q", q_in, qkv)
        linear(name + ".k", kv_in, qkv)
        linear(name + ".v", kv_in, qkv)
        linear(name + ".o", qkv, out)

    for l in range(arch["encoder"]["numLayers"]):
        f = arch["encoder"]["ffnDim"][l]
        norm(f"enc.{l}.ln1", e)
        attn(f"enc.{l}.selfAttn", e, e, e)
        norm(f"enc.{l}.ln2", e)
        linear(f"enc.{l}.fc1", e, f)
        linear(f"enc.{l}.fc2", f, e)
    norm("enc.ln", e)
    if "decoder" not in arch:
        return shapes
    for l in range(arch["decoder"]["numLayers"]):
        f = arch["decoder"]["ffnDim"][l]
        norm(f"dec.{l}.ln1", d)
        attn(f"dec.{l}.selfAttn", d, d, d)
        norm(f"dec.{l}.ln2", d)
        attn(f"dec.{l}.crossAttn", d, e, d)
        norm(f"dec.{l}.ln3", d)
        linear(f"dec.{l}.fc1", d, f)
        linear(f"dec.{l}.fc2", f, d)
    norm("dec.ln", d)
    return shapes


def fresh_weights(shapes, seed):
    """Same init scheme as src/supernet/params.ts (used only when no TypeScript weights are given)."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for name, shape in shapes.items():
        if name == "embed":
            out[name] = torch.randn(*shape, generator=g) * shape[1] ** -0.5
        elif name.endswith(".g"):
            out[name] = torch.ones(*shape)
        elif name.endswith(".w"):
            limit = math.sqrt(6 / (shape[0] + shape[1]))
            out[name] = (torch.rand(*shape, generator=g) * 2 - 1) * limit
        else:
            out[name] = torch.zeros(*shape)
    return out


def block(t, shape):
    """HAT's first-k slice: the leading rows/columns of a shared weight (a view, so gradients reach it)."""
    return t[: shape[0]] if len(shape) == 1 else t[: shape[0], : shape[1]]


class Subnet:
    """The supernet's forward for one fixed arch, as pure functions over named weights (like forward.ts)."""

    def __init__(self, weights, arch, cfg, mode):
        self.arch = arch
        self.qkv = cfg["qkvDim"]
        self.rates = cfg["rates"]
        self.shapes = used_shapes(arch, cfg["vocabSize"], self.qkv)
        source = {n: weights[n] for n in self.shapes}
        if mode == "standalone":
            source = {n: block(t, self.shapes[n]) for n, t in source.items()}
        self.params = {n: t.to(DEVICE).clone().contiguous().requires_grad_(True) for n, t in source.items()}
        self.training = True
        self._positions = {}

    def p(self, name, *dims):
        """The first-k block of weight `name`: dims are its sliced shape."""
        return block(self.params[name], dims)

    def dropout(self, x, rate):
        return F.dropout(x, rate, self.training) if rate > 0 else x

    def linear(self, name, x, i, o):
        # (B, T, i) @ (i, o) + (o,): the [in, out] layout of params.ts
        return torch.matmul(x, self.p(name + ".w", i, o)) + self.p(name + ".b", o)

    def layer_norm(self, name, x, dim):
        return F.layer_norm(x, (dim,), self.p(name + ".g", dim), self.p(name + ".b", dim), 1e-5)

    def ffn(self, prefix, x, dim, ffn_dim):
        hidden = self.dropout(torch.relu(self.linear(prefix + ".fc1", x, dim, ffn_dim)), self.rates["activationDropout"])
        return self.linear(prefix + ".fc2", hidden, ffn_dim, dim)

    def positions(self, length, dim):
        key = (length, dim)
        if key not in self._positions:
            half = dim // 2
            scale = math.log(10000) / max(half - 1, 1)
            freqs = torch.exp(-scale * torch.arange(half, dtype=torch.float64))
            angles = torch.arange(length, dtype=torch.float64)[:, None] * freqs[None, :]
            pos = torch.zeros(length, dim, dtype=torch.float64)
            pos[:, :half] = torch.sin(angles)
            pos[:, half: 2 * half] = torch.cos(angles)
            self._positions[key] = pos.float().to(DEVICE)
        return self._positions[key]

    def embed(self, ids, dim):
        table = self.params["embed"][:, :dim]
        return F.embedding(ids, table) * math.sqrt(dim) + self.positions(ids.shape[1], dim)

    def attention(self, name, query, memory, bias, q_dim, kv_dim, out_dim, heads):
        b, tq, _ = query.shape
        tk = memory.shape[1]
        hd = self.qkv // heads
        q = self.linear(name + ".q", query, q_dim, self.qkv) * (1 / math.sqrt(hd))
        k = self.linear(name + ".k", memory, kv_dim, self.qkv)
        v = self.linear(name + ".v", memory, kv_dim, self.qkv)
        q = q.view(b, tq, heads, hd).transpose(1, 2)  # (B, H, Tq, hd)
        k = k.view(b, tk, heads, hd).transpose(1, 2)  # (B, H, Tk, hd)
        v = v.view(b, tk, heads, hd).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2))  # (B, H, Tq, Tk)
        if bias is not None:
            scores = scores + bias
        probs = self.dropout(torch.softmax(scores, -1), self.rates["attentionDropout"])
        context = torch.matmul(probs, v).transpose(1, 2).reshape(b, tq, self.qkv)  # (B, Tq, qkv)
        return self.linear(name + ".o", context, self.qkv, out_dim)

    def encode(self, src, src_mask):
        a = self.arch["encoder"]
        dim = a["embedDim"]
        p = self.rates["encoder"]
        src_bias = ((1 - src_mask) * -1e9)[:, None, None, :]  # (B, 1, 1, S)
        x = self.dropout(self.embed(src, dim), p)
        states = []
        for l in range(a["numLayers"]):
            pre = f"enc.{l}"
            h = self.layer_norm(pre + ".ln1", x, dim)
            x = x + self.dropout(self.attention(pre + ".selfAttn", h, h, src_bias, dim, dim, dim, a["numHeads"][l]), p)
            h = self.layer_norm(pre + ".ln2", x, dim)
            x = x + self.dropout(self.ffn(pre, h, dim, a["ffnDim"][l]), p)
            states.append(self.layer_norm("enc.ln", x, dim))
        return states, src_bias

    def decode(self, tgt_in, states, src_bias):
        a = self.arch["decoder"]
        dim = a["embedDim"]
        enc_dim = self.arch["encoder"]["embedDim"]
        p = self.rates["decoder"]
        t = tgt_in.shape[1]
        causal = torch.triu(torch.full((t, t), -1e9, device=DEVICE), diagonal=1)[None, None]  # (1, 1, T, T)
        x = self.dropout(self.embed(tgt_in, dim), p)
        for l in range(a["numLayers"]):
            pre = f"dec.{l}"
            k = a["crossLayers"][l]
            used = states[max(0, len(states) - k):]
            memory = used[0] if len(used) == 1 else torch.cat(used, 1)  # (B, k*S, e)
            bias = src_bias if len(used) == 1 else torch.cat([src_bias] * len(used), 3)
            h = self.layer_norm(pre + ".ln1", x, dim)
            x = x + self.dropout(self.attention(pre + ".selfAttn", h, h, causal, dim, dim, dim, a["selfHeads"][l]), p)
            h = self.layer_norm(pre + ".ln2", x, dim)
            x = x + self.dropout(self.attention(pre + ".crossAttn", h, memory, bias, dim, enc_dim, dim, a["crossHeads"][l]), p)
            h = self.layer_norm(pre + ".ln3", x, dim)
            x = x + self.dropout(self.ffn(pre, h, dim, a["ffnDim"][l]), p)
        return self.layer_norm("dec.ln", x, dim)

    def logits(self, batch):
        states, src_bias = self.encode(batch["src"], batch["srcMask"])
        hidden = states[-1] if "decoder" not in self.arch else self.decode(batch["tgtIn"], states, src_bias)
        dim = hidden.shape[-1]
        return torch.matmul(hidden, self.params["embed"][:, :dim].t())  # tied output projection (B, T, V)


def label_smoothed_loss(logits, targets, mask, eps):
    """loss.ts: (1 - eps) * nll + eps * mean(-log p) per token, averaged over real tokens."""
    logp = torch.log_softmax(logits, -1)
    nll = -logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    per_token = (1 - eps) * nll + eps * (-logp.mean(-1)) if eps > 0 else nll
    return (per_token * mask).sum() / mask.sum().clamp(min=1)


def batch_tensors(b):
    shape_s, shape_t = (b["rows"], b["srcLen"]), (b["rows"], b["tgtLen"])
    return {
        "src": torch.tensor(b["src"], dtype=torch.long, device=DEVICE).view(shape_s),
        "srcMask": torch.tensor(b["srcMask"], dtype=torch.float32, device=DEVICE).view(shape_s),
        "tgtIn": torch.tensor(b["tgtIn"], dtype=torch.long, device=DEVICE).view(shape_t),
        "tgtOut": torch.tensor(b["tgtOut"], dtype=torch.long, device=DEVICE).view(shape_t),
        "tgtMask": torch.tensor(b["tgtMask"], dtype=torch.float32, device=DEVICE).view(shape_t),
        "tokens": int(b["numTargetTokens"]),
    }


def train_subnet(cfg, weights, sub, batches):
    torch.manual_seed(cfg.get("seed", 1))
    model = Subnet(weights, sub["arch"], {**cfg, "rates": sub["rates"]}, cfg.get("mode", "supernet"))
    eps = cfg["labelSmoothing"]
    model.training = False
    with torch.no_grad():
        b0 = batches[0]
        init_loss = label_smoothed_loss(model.logits(b0), b0["tgtOut"], b0["tgtMask"], eps).item()
    model.training = True
    params = list(model.params.values())
    adam = cfg["adam"]
    opt = torch.optim.Adam(params, lr=cfg["lr"], betas=(adam["beta1"], adam["beta2"]), eps=adam["epsilon"])
    warmup, steps = cfg["warmupSteps"], sub["steps"]
    times, tokens, losses = [], 0, []
    for i in range(warmup + steps):
        b = batches[i]
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = label_smoothed_loss(model.logits(b), b["tgtOut"], b["tgtMask"], eps)
        loss.backward()
        if cfg["clipNorm"] > 0:
            torch.nn.utils.clip_grad_norm_(params, cfg["clipNorm"])
        opt.step()
        value = loss.item()
        elapsed = time.perf_counter() - t0
        if i >= warmup:
            times.append(elapsed)
            tokens += b["tokens"]
            losses.append(value)
    seconds = sum(times)
    return {
        "label": sub["label"],
        "steps": steps,
        "targetTokens": tokens,
        "seconds": seconds,
        "tokensPerSec": tokens / seconds if seconds > 0 else None,
        "msPerStep": 1000 * seconds / steps if steps else None,
        "stepMs": [1000 * t for t in times],
        "initEvalLoss": init_loss,
        "meanTrainLoss": sum(losses) / len(losses) if losses else None,
        "params": sum(p.numel() for p in params),
    }


def synchronize():
    """Waits for the device's queued work (a no-op on the CPU)."""
    if DEVICE.type == "cuda":
        torch.cuda.synchronize(DEVICE)


def matmul_gflops(n, repeats):
    a, b = torch.randn(n, n, device=DEVICE), torch.randn(n, n, device=DEVICE)
    for _ in range(2):
        torch.matmul(a, b)
    times = []
    for _ in range(repeats):
        synchronize()
        t0 = time.perf_counter()
        torch.matmul(a, b)
        synchronize()
        times.append(time.perf_counter() - t0)
    times.sort()
    return {"n": n, "repeats": repeats, "medianGflops": 2 * n**3 / times[len(times) // 2] / 1e9, "bestGflops": 2 * n**3 / times[0] / 1e9}


def main():
    input_file = sys.argv[1]
    base_dir = os.path.dirname(os.path.abspath(input_file))
    with open(input_file) as f:
        cfg = json.load(f)
    global DEVICE
    DEVICE = torch.device(os.environ.get("SUPERNET_TORCH_DEVICE") or cfg.get("device", "cpu"))
    torch.set_num_threads(cfg.get("threads", 2))
    batches = [batch_tensors(b) for b in cfg["batches"]]
    weights = load_weights(cfg["weights"], base_dir) if cfg.get("weights") else None
    results = []
    for sub in cfg["subnets"]:
        w = weights
        if w is None:
            w = fresh_weights(used_shapes(sub["arch"], cfg["vocabSize"], cfg["qkvDim"]), cfg.get("seed", 1))
        try:
            results.append(train_subnet(cfg, w, sub, batches))
        except Exception as err:  # report, and go on with the next subnet
            results.append({"label": sub["label"], "error": f"{type(err).__name__}: {err}"})
    out = {
        "torchVersion": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": str(DEVICE) if DEVICE.type != "cuda" else f"{DEVICE} ({torch.cuda.get_device_name(DEVICE)})",
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"),
        "mode": cfg.get("mode", "supernet"),
        "initWeights": "typescript" if weights is not None else "fresh (same scheme, other values)",
        "subnets": results,
    }
    if cfg.get("matmul"):
        out["matmul"] = matmul_gflops(cfg["matmul"]["n"], cfg["matmul"]["repeats"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
