#!/usr/bin/env bash
# Runs cargo for this workspace. Where Debian's Rust toolchain and crate sources are installed
# (apt-get install rustc cargo libstd-rust-dev-wasm32 lld librust-rand-dev ...), it uses them
# offline through a directory source; otherwise it runs the cargo on PATH against crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [ -x /usr/bin/cargo ] && [ -d /usr/share/cargo/registry ] && [ "${RNNLAB_USE_PATH_CARGO:-0}" != 1 ]; then
  export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc PATH="/usr/bin:$PATH"
  cargo=/usr/bin/cargo
  args=(--config 'source.crates-io.replace-with="debian"' --config 'source.debian.directory="/usr/share/cargo/registry"' --offline)
else
  cargo=cargo
fi
sub=$1; shift
exec "$cargo" "$sub" "${args[@]}" "$@"
