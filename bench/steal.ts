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
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is in user).
  const fields = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((x) => !Number.isFinite(x))) return null;
  return { steal: fields[7]!, total: fields.reduce((a, b) => a + b, 0) };
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
