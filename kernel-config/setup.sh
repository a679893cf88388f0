#!/usr/bin/env bash
# Set-up on a fresh Debian/Ubuntu machine: the Debian packages Jupyter's headless runner and the report
# tests need, the npm dependencies, and the project's Jupyter kernelspec.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES=(jupyter-nbconvert python3-nbclient jupyter-client chromium slurm-wlm munge)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
npm ci --no-audit --no-fund
npm run kernel:install
