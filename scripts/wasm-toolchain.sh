#!/usr/bin/env bash
# Unpacks the Rust toolchain that builds the WebAssembly modules into target/rust-web: Debian's
# rustc-web 1.96 with the standard library's source (std is rebuilt for wasm32, with and without
# atomics). The packages are unpacked, not installed, so they do not replace the rustc and cargo
# that test the crate natively. Also writes target/rust-web/vendor: one directory source holding
# the standard library's vendored crates and Debian's crate registry. Prints the toolchain root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/target/rust-web"
version=1.96
if [ ! -x "$dir/usr/bin/rustc" ]; then
  mkdir -p "$dir/debs"
  (cd "$dir/debs" && apt-get download -q rustc-web cargo-web rust-web-src rust-web-llvm \
    "libstd-rust-web-$version" libstd-rust-web-dev libllvm22 lld-22 liblld-22 >/dev/null 2>&1) || {
    echo "apt-get download of Debian's rustc-web $version packages failed (run apt-get update?)" >&2
    exit 1
  }
  for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir"; done
  rm -rf "$dir/debs"
fi
if [ ! -d "$dir/vendor" ]; then
  mkdir -p "$dir/vendor"
  for d in "$dir"/usr/lib/rustlib/src/rust/library/vendor/* /usr/share/cargo/registry/*; do
    [ -e "$dir/vendor/$(basename "$d")" ] || ln -s "$d" "$dir/vendor/$(basename "$d")"
  done
fi
echo "$dir"
