#!/usr/bin/env bash
# The GPU checks in one short run, for a machine with a GPU: what the machine offers, which backend the toolkit
# picks and why, the WebGPU tests on the hardware adapter (the same file that runs on lavapipe here), and training
# throughput on WebGPU at the two benchmark shapes and a GPU-sized batch. Each step prints its own result and a
# failing step does not stop the others. Usage: npm run bench:gpu
set -uo pipefail
cd "$(dirname "$0")/../.."
step() { echo; echo "== $*"; }
step "GPU and Vulkan drivers"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || echo "(no nvidia-smi)"
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>&1
step "backend chosen without forcing"
node --import tsx -e 'require("./src/model/backend").selectBackend().then((choice) => console.log(JSON.stringify(choice, null, 1)), (error) => { console.log(String(error)); process.exitCode = 1; })'
step "WebGPU tests (test/model/webgpu-backend.test.ts)"
node --import tsx --test test/model/webgpu-backend.test.ts 2>&1 | grep -Ev '^# Warning' | grep -E '^(ok|not ok|# )' || true
for shape in "128 2 16" "256 4 16" "256 4 128"; do
  set -- $shape
  step "bench:train on WebGPU: hidden $1, layers $2, batch $3"
  npm run -s bench:train -- --hidden "$1" --layers "$2" --seq 128 --batch "$3" --backend webgpu 2>&1 | grep -Ev '^Warning' | tail -n 1
done
