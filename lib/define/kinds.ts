// Register kinds (docs/program-format.md, "Registers"): bit 0 says dual (value and tangents),
// bit 1 says per agent. Combining kinds is a bitwise or: agent if any is agent, dual if any is dual.

export type Kind = 0 | 1 | 2 | 3;

export const REAL: Kind = 0;
export const DUAL: Kind = 1;
export const AGENT: Kind = 2;

export function widest(...kinds: Kind[]): Kind {
  let kind = 0;
  for (const k of kinds) kind |= k;
  return kind as Kind;
}

export function isDual(kind: Kind): boolean {
  return (kind & DUAL) !== 0;
}

export function isAgent(kind: Kind): boolean {
  return (kind & AGENT) !== 0;
}

/** Whether a register of kind `wide` can hold a value of kind `narrow` (a write may promote, never demote). */
export function holds(wide: Kind, narrow: Kind): boolean {
  return (wide | narrow) === wide;
}

/** The same kind without tangents: the kind of a comparison or of a draw of a real probability. */
export function realOf(kind: Kind): Kind {
  return (kind & AGENT) as Kind;
}

/** The same kind, per agent: every value computed per agent in an agent loop. */
export function perAgent(kind: Kind): Kind {
  return (kind | AGENT) as Kind;
}

export function kindName(kind: Kind): string {
  return ['R', 'RD', 'A', 'AD'][kind]!;
}
