#!/usr/bin/env bash
# Builds crate/ for wasm32-unknown-unknown with SIMD128 and writes ts/wasm/rnnlab.wasm.
# The build is reproducible: fixed flags, no debug info, stripped symbols and source paths
# remapped to fixed prefixes, so the same toolchain gives the same bytes on any machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
remap=(--remap-path-prefix="$root=/rnnlab" --remap-path-prefix=/usr/share/cargo/registry=/registry)
if [ -n "${CARGO_HOME:-}${HOME:-}" ]; then
  remap+=(--remap-path-prefix="${CARGO_HOME:-$HOME/.cargo}/registry/src=/registry")
fi
export RUSTFLAGS="-C target-feature=+simd128,+bulk-memory ${remap[*]}"
export CARGO_TARGET_DIR="$root/target"
./scripts/cargo.sh build --release --target wasm32-unknown-unknown -p rnnlab
out=${1:-ts/wasm/rnnlab.wasm}
mkdir -p "$(dirname "$out")"
cp target/wasm32-unknown-unknown/release/rnnlab.wasm "$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
