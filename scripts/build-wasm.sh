#!/usr/bin/env bash
# Builds crate/ for wasm32-unknown-unknown with SIMD128, twice, with the toolchain of
# scripts/wasm-toolchain.sh (the standard library rebuilt from source for each):
#   ts/wasm/rnnlab.wasm          one thread, its own memory;
#   ts/wasm/rnnlab-threads.wasm  +atomics, an imported shared memory (2 MiB to 4 GiB), helper
#                                threads parked in rnl_helper_loop (crate::parallel).
# The build is reproducible: fixed flags, no debug info, stripped symbols and source paths
# remapped to fixed prefixes, so the same toolchain gives the same bytes on any machine.
# Usage: build-wasm.sh [OUT_DIR]   (default ts/wasm)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tc=$(./scripts/wasm-toolchain.sh)
export PATH="$tc/usr/bin:$PATH" RUSTC="$tc/usr/bin/rustc" RUSTDOC="$tc/usr/bin/rustdoc"
export LD_LIBRARY_PATH="$tc/usr/lib/x86_64-linux-gnu:$tc/usr/lib/llvm-22/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# -Z build-std and the wasm atomics intrinsics are unstable features of this stable compiler.
export RUSTC_BOOTSTRAP=1
remap="--remap-path-prefix=$root=/rnnlab --remap-path-prefix=/usr/share/cargo/registry=/registry"
cargo=("$tc/usr/bin/cargo" rustc --release --target wasm32-unknown-unknown -p rnnlab --lib --crate-type cdylib
  --offline --config 'source.crates-io.replace-with="vendored"' --config "source.vendored.directory=\"$tc/vendor\""
  -Z build-std=std,panic_abort)
out=${1:-ts/wasm}
mkdir -p "$out"

RUSTFLAGS="-C target-feature=+simd128,+bulk-memory $remap" CARGO_TARGET_DIR="$root/target/wasm-single" \
  "${cargo[@]}"
cp target/wasm-single/wasm32-unknown-unknown/release/rnnlab.wasm "$out/rnnlab.wasm"

link=(--shared-memory --import-memory --export-memory --initial-memory=2097152 --max-memory=4294967296
  --export=__stack_pointer --export=__wasm_init_tls --export=__tls_size --export=__tls_align)
RUSTFLAGS="-C target-feature=+simd128,+bulk-memory,+atomics,+mutable-globals $remap" \
  CARGO_TARGET_DIR="$root/target/wasm-threads" "${cargo[@]}" -- ${link[@]/#/-C link-arg=}
cp target/wasm-threads/wasm32-unknown-unknown/release/rnnlab.wasm "$out/rnnlab-threads.wasm"
echo "wrote $out/rnnlab.wasm ($(wc -c <"$out/rnnlab.wasm") bytes), $out/rnnlab-threads.wasm ($(wc -c <"$out/rnnlab-threads.wasm") bytes)"
