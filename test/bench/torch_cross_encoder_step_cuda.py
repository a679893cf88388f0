#!/usr/bin/env python3
"""PyTorch yardstick on the GPU for `npm run bench:gpu`: the model of ../shared/bench/torch_cross_encoder_step.py
(BERT-style pre-LayerNorm encoder, learned positions, GELU feed-forward, no dropout, linear head on the first token,
binary cross-entropy, AdamW) timed on CUDA in float32 with TF32 off, so that it does the same arithmetic as
tfjs's WebGPU backend. Prints one JSON line in the shape of the CPU script's.
  python3 test/bench/torch_cross_encoder_step_cuda.py --hidden 128 --layers 2 --seq 128 --batch 16
"""
import argparse, json, time

import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--vocab", type=int, default=8192)
p.add_argument("--hidden", type=int, default=128)
p.add_argument("--layers", type=int, default=2)
p.add_argument("--heads", type=int, default=4)
p.add_argument("--ffn", type=int, default=0, help="0 means 4*hidden")
p.add_argument("--seq", type=int, default=128)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--steps", type=int, default=20)
a = p.parse_args()
ffn = a.ffn or 4 * a.hidden
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.manual_seed(0)
device = torch.device("cuda")


class CrossEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(a.vocab, a.hidden)
        self.pos = nn.Parameter(torch.randn(a.seq, a.hidden) * 0.02)
        layer = nn.TransformerEncoderLayer(a.hidden, a.heads, ffn, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, a.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(a.hidden)
        self.head = nn.Linear(a.hidden, 1)

    def forward(self, ids):
        h = self.encoder(self.tok(ids) + self.pos)
        return self.head(self.norm(h[:, 0])).squeeze(-1)


model = CrossEncoder().to(device)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
loss_fn = nn.BCEWithLogitsLoss()
ids = torch.randint(0, a.vocab, (a.batch, a.seq), device=device)
labels = torch.randint(0, 2, (a.batch,), device=device).float()


def step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(ids), labels)
    loss.backward()
    opt.step()


for _ in range(3):
    step()
torch.cuda.synchronize()
t0 = time.perf_counter()
for _ in range(a.steps):
    step()
torch.cuda.synchronize()
dt = (time.perf_counter() - t0) / a.steps
non_embedding = a.layers * (4 * a.hidden * a.hidden + 2 * a.hidden * ffn)
print(json.dumps({
    "engine": f"pytorch {torch.__version__} cuda", "device": torch.cuda.get_device_name(0),
    "hidden": a.hidden, "layers": a.layers, "heads": a.heads, "ffn": ffn, "vocab": a.vocab,
    "seq": a.seq, "batch": a.batch, "non_embedding_params": non_embedding,
    "step_seconds": round(dt, 5), "examples_per_second": round(a.batch / dt, 2),
    "model_gflops_per_second": round(6 * non_embedding * a.batch * a.seq / dt / 1e9, 2),
}))
