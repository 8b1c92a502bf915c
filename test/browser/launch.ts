/**
 * Headless Chromium for the browser suites: Debian's chromium (or CHROMIUM_PATH), with the flags
 * this machine's closed network needs, and whether the suites run here (RNNLAB_REQUIRE_BROWSER=1,
 * as in CI, makes a missing Chromium a failure).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserRunnable = existsSync(executablePath) || process.env.RNNLAB_REQUIRE_BROWSER === '1';

const QUIET = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches Chromium without the GPU, or with `gpu: true` with WebGPU enabled (SwiftShader where there is no GPU). */
export function launchChromium(o: { gpu?: boolean } = {}): Promise<Browser> {
  const gpu = o.gpu ? ['--enable-unsafe-webgpu', '--enable-features=Vulkan'] : ['--disable-gpu'];
  return chromium.launch({ executablePath, headless: true, args: [...QUIET, ...gpu] });
}
