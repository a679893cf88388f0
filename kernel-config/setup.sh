#!/usr/bin/env bash
# Set-up on a fresh Debian/Ubuntu machine: the Debian packages Jupyter's headless runner and the report
# tests need, the Vulkan loader and Mesa's software Vulkan driver (lavapipe: the WebGPU backend's tests run on
# it without a GPU), the npm dependencies, and the project's Jupyter kernelspec.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES=(jupyter-nbconvert python3-nbclient jupyter-client chromium slurm-wlm munge libvulkan1 mesa-vulkan-drivers)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Dawn (WebGPU) needs a lavapipe from Mesa 23 or later; Debian 12 ships 22.3, so there Mesa comes from
# bookworm-backports (Debian's own archive; only the packages asked for with -t are taken from it). Only on
# machines without a GPU: where one is present the WebGPU tests use it, and its graphics stack is left alone.
mesa_major=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers | sed 's/^[0-9]*://' | cut -d. -f1)
has_gpu=no
if [ -e /dev/nvidia0 ] || compgen -G "/dev/dri/renderD*" >/dev/null; then has_gpu=yes; fi
if [ "$mesa_major" -lt 23 ] && [ "$has_gpu" = yes ]; then
  echo "setup: a GPU is present, so Mesa $mesa_major is left as it is: the WebGPU tests will use the GPU's own Vulkan driver." >&2
elif [ "$mesa_major" -lt 23 ]; then
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  if [ "$codename" = "bookworm" ]; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers
  else
    echo "setup: Mesa $mesa_major is too old for WebGPU on the CPU (Dawn needs 23 or later): the WebGPU tests will fail." >&2
  fi
fi
npm ci --no-audit --no-fund
npm run kernel:install
