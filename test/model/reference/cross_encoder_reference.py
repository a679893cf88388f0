#!/usr/bin/env python3
"""PyTorch (float64) reference for the cross-encoder: scores and gradients of sum(w * scores) for the tiny
models written by export-tiny-models.ts. Written independently of the TypeScript model from the BERT recipe:
embeddings, pre- or post-LayerNorm blocks with padding-masked softmax attention, GELU feed-forward, score from
the first token (optional tanh pooler). Dense weights are [in, out] as the TypeScript model stores them.
Run: /usr/bin/python3 cross_encoder_reference.py IN.json OUT.json   (Debian python3-torch 1.13)
"""
import json, math, sys
import torch

SCORE_WEIGHTS = [1.0, -2.0, 0.5]


def run(case, batch):
    cfg = case["config"]
    P = {n: torch.tensor(w["values"], dtype=torch.float64).reshape(w["shape"]).requires_grad_() for n, w in case["weights"].items()}
    B, S = batch["batchSize"], batch["seqLen"]
    d, H = cfg["hidden"], cfg["heads"]
    dh = d // H
    ids = torch.tensor(batch["inputIds"]).reshape(B, S)
    seg = torch.tensor(batch["segmentIds"]).reshape(B, S)
    lengths = torch.tensor(batch["lengths"])
    eps = cfg["layerNormEpsilon"]

    def ln(x, name):
        return torch.nn.functional.layer_norm(x, (d,), P[name + ".weight"], P[name + ".bias"], eps)

    def lin(x, name):
        return x @ P[name + ".weight"] + P[name + ".bias"]

    def act(x):
        return torch.nn.functional.gelu(x, approximate="tanh" if cfg["activation"] == "gelu_tanh" else "none")

    x = P["embeddings.word_embeddings.weight"][ids] + P["embeddings.position_embeddings.weight"][:S] \
        + P["embeddings.token_type_embeddings.weight"][seg]
    if cfg["exactMatch"]:
        x = x + P["embeddings.exact_match_embeddings.weight"][torch.tensor(batch["exactMatch"]).reshape(B, S)]
    if cfg["layerNorm"] == "post":
        x = ln(x, "embeddings.LayerNorm")
    pad = torch.arange(S)[None, :] >= lengths[:, None]  # [B, S] True at padding keys

    def attention(h, base):
        def heads(t):
            return t.reshape(B, S, H, dh).transpose(1, 2)
        q, k, v = (heads(lin(h, f"{base}.attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh)
        scores = scores.masked_fill(pad[:, None, None, :], float("-inf"))
        ctx = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(B, S, d)
        return lin(ctx, f"{base}.attention.output.dense")

    for layer in range(cfg["layers"]):
        base = f"encoder.layer.{layer}"
        ffn = lambda h: lin(act(lin(h, f"{base}.intermediate.dense")), f"{base}.output.dense")
        if cfg["layerNorm"] == "pre":
            x = x + attention(ln(x, f"{base}.attention.output.LayerNorm"), base)
            x = x + ffn(ln(x, f"{base}.output.LayerNorm"))
        else:
            x = ln(x + attention(x, base), f"{base}.attention.output.LayerNorm")
            x = ln(x + ffn(x), f"{base}.output.LayerNorm")
    cls = x[:, 0]
    if cfg["layerNorm"] == "pre":
        cls = ln(cls, "encoder.final_layer_norm")
    if cfg["pooler"]:
        cls = torch.tanh(lin(cls, "pooler.dense"))
    scores = lin(cls, "classifier").reshape(B)
    (scores * torch.tensor(SCORE_WEIGHTS, dtype=torch.float64)).sum().backward()
    gradients = {n: {"norm": p.grad.norm().item(), "first": p.grad.flatten()[:6].tolist()} for n, p in P.items()}
    return {"config": cfg, "scores": scores.tolist(), "gradients": gradients}


def main():
    data = json.load(open(sys.argv[1]))
    out = {"generator": f"test/model/reference/cross_encoder_reference.py, torch {torch.__version__}, float64",
           "scoreWeights": SCORE_WEIGHTS, "cases": [run(c, data["batch"]) for c in data["cases"]]}
    json.dump(out, open(sys.argv[2], "w"), indent=1)


main()
