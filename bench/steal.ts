// Steal time: the clock ticks, summed over every core, in which this (virtual) machine's cores were
// ready to run but the hypervisor ran something else (/proc/stat, "steal"). agentgrad's runs use
// both cores and a single-threaded peer's one, so a stolen core slows agentgrad's side of a ratio
// far more than the peer's; the peer suite records how much was stolen during agentgrad's turns.
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  steal: number;
  total: number;
}

/** All cores' ticks so far, or null where /proc/stat is not there (not Linux). */
export function cpuTicks(): CpuTicks | null {
  try {
    return ticksOfProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** The ticks in /proc/stat's first line, or null where it does not hold the eight counts. */
export function ticksOfProcStat(text: string): CpuTicks | null {
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is in user).
  const fields = text.split('\n', 1)[0]!.trim().split(/\s+/);
  if (fields[0] !== 'cpu') return null;
  const counts = fields.slice(1, 9).map(Number);
  if (counts.length < 8 || counts.some((x) => !Number.isFinite(x))) return null;
  return { steal: counts[7]!, total: counts.reduce((a, b) => a + b, 0) };
}

/** Accumulates the ticks of the intervals it is given; fraction() is steal over all of them. */
export class StealMeter {
  private steal = 0;
  private total = 0;
  private available = true;

  async during<T>(work: () => Promise<T>): Promise<T> {
    const before = cpuTicks();
    const result = await work();
    const after = cpuTicks();
    if (before && after) {
      this.steal += after.steal - before.steal;
      this.total += after.total - before.total;
    } else {
      this.available = false;
    }
    return result;
  }

  /** Stolen share of the measured ticks, or null where /proc/stat is absent or no tick passed. */
  fraction(): number | null {
    return this.available && this.total > 0 ? this.steal / this.total : null;
  }
}
