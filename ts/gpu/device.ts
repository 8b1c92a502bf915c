/// <reference types="@webgpu/types" />
/**
 * A WebGPU device: from `navigator.gpu` in browsers, or from a `GPU` object the caller passes
 * (in Node, `create([])` of the `webgpu` package, which needs a Vulkan driver; the tests use
 * SwiftShader, see README). Typed errors for a missing adapter and for a lost device.
 */

import { GpuUnavailableError } from './errors.js';

export { GpuDeviceLostError, GpuUnavailableError } from './errors.js';

/** A device and what it is. */
export interface GpuContext {
  /** The GPU object the device came from: kept here, because in Node its instance must outlive the device. */
  gpu: GPU;
  device: GPUDevice;
  /** Vendor, architecture and description of the adapter, as it reports them. */
  adapter: string;
  /** Set once the device is lost, with the reason. */
  lost: { reason: string } | null;
  /** A software (fallback) adapter, e.g. SwiftShader: correct but slow. */
  fallback: boolean;
}

/**
 * Requests a high-performance adapter and a device with the adapter's storage-buffer limits;
 * with `hardware`, a software adapter counts as none.
 */
export async function requestGpu(gpu?: GPU, options: { hardware?: boolean } = {}): Promise<GpuContext> {
  const source = gpu ?? (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
  if (source === undefined) throw new GpuUnavailableError('no WebGPU here: no navigator.gpu, and no GPU object was passed');
  let adapter: GPUAdapter | null;
  try {
    adapter = await source.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new GpuUnavailableError(`the adapter request failed: ${(e as Error).message}`);
  }
  if (adapter === null) throw new GpuUnavailableError('WebGPU returned no adapter (no driver, or the GPU is blocked)');
  const info = adapter.info;
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter === true;
  if (options.hardware && fallback) throw new GpuUnavailableError(`the adapter is a software one (${info.description || info.architecture})`);
  const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } });
  const context: GpuContext = {
    gpu: source,
    device,
    adapter: [info?.vendor, info?.architecture, info?.description].filter((s) => s).join(' ') || 'unnamed adapter',
    lost: null,
    fallback,
  };
  void device.lost.then((l) => {
    context.lost = { reason: `${l.reason}: ${l.message}` };
  });
  return context;
}
