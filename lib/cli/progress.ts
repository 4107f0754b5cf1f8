// Progress of a long command on stderr: a bar with an ETA on a terminal, else a line every tenth
// of the way (or every step with `every: 1`), so that logs of unattended runs stay short.
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  /** `detail` follows the counter, e.g. 'loss 0.0123'. */
  update(done: number, total: number, detail?: string): void;
  /** A message on its own line (a cluster notice), above the bar on a terminal. */
  log(message: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** What is counted, e.g. 'epoch' or 'fit' (default: nothing). */
  unit?: string;
  /** Print a line every this many steps when stderr is not a terminal (default: a tenth of the total). */
  every?: number;
}

export function progressReporter(command: string, options: ProgressOptions = {}): ProgressReporter {
  const unit = options.unit ? `${options.unit} ` : '';
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${command} |{bar}| ${unit}{value}/{total} | {detail} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail = '') {
        if (!started) bar.start(total, 0, { detail });
        started = true;
        bar.setTotal(total);
        bar.update(done, { detail });
      },
      log(message) {
        process.stderr.write(`\r\x1b[K${message}\n`);
        if (started) bar.render();
      },
      stop: () => started && bar.stop(),
    };
  }
  const began = Date.now();
  let first: number | undefined;
  return {
    update(done, total, detail) {
      first ??= done - 1;
      const every = options.every ?? Math.max(1, Math.round(total / 10));
      if (done % every !== 0 && done !== total) return;
      const eta = done > first! ? (((Date.now() - began) / (done - first!)) * (total - done)) / 1000 : NaN;
      const parts = [`${command}: ${unit}${done}/${total}`, ...(detail ? [detail] : []), ...(Number.isFinite(eta) && done < total ? [`ETA ${eta.toFixed(0)} s`] : [])];
      process.stderr.write(parts.join(', ') + '\n');
    },
    log: (message) => process.stderr.write(`${message}\n`),
    stop() {},
  };
}
