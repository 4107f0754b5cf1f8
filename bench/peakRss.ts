// A process's own peak resident memory. Linux carries the largest RSS of the address space a
// process had before exec into getrusage's maxRSS, and a spawned child's pre-exec image is its
// parent's: a child of a 150 MiB bench process reports at least 150 MiB whatever it allocates.
// VmHWM in /proc/self/status is the high-water mark of the current address space only, which
// exec replaces, so it is the child's own peak.
import { readFileSync } from 'node:fs';

export interface PeakRss {
  bytes: number;
  /** 'VmHWM' where /proc/self/status has it, else 'maxRSS' (which may include a parent's pages). */
  source: 'VmHWM' | 'maxRSS';
}

/** VmHWM of a /proc/<pid>/status text in bytes, or null where the line is missing. */
export function highWaterOfProcStatus(text: string): number | null {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

export function peakRss(): PeakRss {
  try {
    const bytes = highWaterOfProcStatus(readFileSync('/proc/self/status', 'utf8'));
    if (bytes !== null) return { bytes, source: 'VmHWM' };
  } catch {
    // not Linux: fall through
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: 'maxRSS' };
}
