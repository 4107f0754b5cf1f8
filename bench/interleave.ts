// Timed runs of several implementations of one workload, taken in turns: round after round, each
// side that still needs runs times a turn of about `turnSeconds`. On a shared machine whose speed
// drifts over minutes, both sides of a ratio then see the same stretch of time, instead of one
// side's whole measurement falling in a fast minute and the other's in a slow one.

export interface TimedSide {
  /** Runs the workload at least once and until the runs add up to `minSeconds`; their seconds. */
  time(minSeconds: number): Promise<number[]>;
  /** A side stops taking turns once its timed seconds plus its last run would pass this. */
  budgetSeconds: number;
  /** Filled by interleave: every timed run, in order. */
  seconds: number[];
}

export interface InterleaveOptions {
  /** Each side times at least this many runs (while its budget lasts). */
  repeats: number;
  /** ... and runs on until they add up to this many seconds (or `maxRuns`). */
  minSeconds: number;
  maxRuns: number;
}

function wantsTurn(side: TimedSide, options: InterleaveOptions): boolean {
  const runs = side.seconds.length;
  if (runs >= options.maxRuns) return false;
  const spent = side.seconds.reduce((a, b) => a + b, 0);
  if (runs > 0 && spent + side.seconds[runs - 1]! > side.budgetSeconds) return false;
  return runs < options.repeats || spent < options.minSeconds;
}

/** Times every side in turns until each has its runs; returns the number of rounds. */
export async function interleave(sides: TimedSide[], options: InterleaveOptions): Promise<number> {
  const turnSeconds = options.minSeconds / options.repeats;
  let rounds = 0;
  for (;;) {
    const turns = sides.filter((side) => wantsTurn(side, options));
    if (turns.length === 0) return rounds;
    for (const side of turns) side.seconds.push(...(await side.time(turnSeconds)));
    rounds += 1;
  }
}
