import { native, type NativeBackendInfo } from './native.js';

export type BackendInfo = NativeBackendInfo;

/** Backends compiled into this build, the CUDA device if any, and the CPU thread count. */
export function backendInfo(): BackendInfo {
  return native().backendInfo();
}
