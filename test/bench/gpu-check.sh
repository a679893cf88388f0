#!/usr/bin/env bash
# The GPU checks in one short run, for a machine with a GPU: what the machine offers, which backend the toolkit
# picks and why, the WebGPU tests on the hardware adapter (the same files that run on lavapipe here), training
# throughput on WebGPU at the two benchmark shapes and a GPU-sized batch beside PyTorch on CUDA at the same shapes
# (float32, TF32 off) and beside tfjs's own ops in place of the fused kernels, and one real training run (WikiQA)
# on WebGPU. Each step prints its own result and a failing
# step does not stop the others. Usage: npm run bench:gpu  (GPU_CHECK_WIKIQA_PRESET, default 1.8M, and
# GPU_CHECK_WIKIQA_STEPS, default 400, size the run)
set -uo pipefail
cd "$(dirname "$0")/../.."
# node directly, not npm: a GPU node may carry a bare Node binary.
export ESBUILD_WORKER_THREADS=0
step() { echo; echo "== $(date +%T) $*"; }
step "GPU and Vulkan drivers"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || echo "(no nvidia-smi)"
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>&1
step "backend chosen without forcing"
node --import tsx -e 'require("./src/model/backend").selectBackend().then((choice) => console.log(JSON.stringify(choice, null, 1)), (error) => { console.log(String(error)); process.exitCode = 1; })'
for file in test/model/webgpu-backend.test.ts test/pretrained/bert-checkpoint.test.ts; do
  step "tests on the GPU's WebGPU adapter: $file"
  timeout 300 node --import tsx --test "$file" 2>&1 | grep -Ev '^# Warning' | grep -E '^(ok|not ok|# )' || true
done
have_cuda_torch() { python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; }
for shape in "128 2 16" "256 4 16" "256 4 128"; do
  set -- $shape
  step "training throughput, hidden $1, layers $2, seq 128, batch $3: tfjs on WebGPU, then PyTorch on CUDA"
  timeout 150 node --import tsx test/bench/train.bench.ts --hidden "$1" --layers "$2" --seq 128 --batch "$3" --steps 20 --backend webgpu 2>&1 | grep -Ev '^Warning' | tail -n 1
  if have_cuda_torch; then python3 test/bench/torch_cross_encoder_step_cuda.py --hidden "$1" --layers "$2" --seq 128 --batch "$3" 2>&1 | tail -n 1
  else echo "(no PyTorch with CUDA: no yardstick)"; fi
done
step "the same at hidden 128, layers 2, batch 16 with tfjs's own ops (RERANK_WEBGPU_FUSED=0): what the fused kernels gain"
RERANK_WEBGPU_FUSED=0 timeout 150 node --import tsx test/bench/train.bench.ts --hidden 128 --layers 2 --seq 128 --batch 16 --steps 20 --backend webgpu 2>&1 | grep -Ev '^Warning' | tail -n 1
preset="${GPU_CHECK_WIKIQA_PRESET:-1.8M}"
steps="${GPU_CHECK_WIKIQA_STEPS:-400}"
step "a real training run on WebGPU: WikiQA, preset $preset, listwise, $steps steps of 16 groups of 8"
RERANK_BACKEND=webgpu timeout 240 node --import tsx test/bench/wikiqa-rerank.bench.ts --preset "$preset" --objective listwise --steps "$steps" --batch 16 \
  --group 8 --len 96 --lr 1e-3 --eval-every 100 2>&1 | grep -Ev '^Warning' | tr '\r' '\n' | grep -E '^\{|step [0-9]+/|rror|selectBackend' | tail -n 2
