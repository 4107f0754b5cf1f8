// Error constructors whose messages name the argument and what it may be.

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function invalidType(name: string, allowed: string, value: unknown): TypeError {
  return new TypeError(`${name} must be ${allowed}, got ${describeValue(value)}`);
}

export function outOfRange(name: string, allowed: string, value: unknown): RangeError {
  return new RangeError(`${name} must be ${allowed}, got ${describeValue(value)}`);
}

/** The error an aborted operation rejects with: name 'AbortError', code 'ABORT_ERR', as Node's own. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(message = 'The operation was aborted') {
    super(message);
    this.name = 'AbortError';
  }
}

export function abortError(): AbortError {
  return new AbortError();
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** An optional integer option: `fallback` when undefined, else checked to lie in [min, max]. */
export function integerOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const allowed = `an integer in [${min}, ${max}]`;
  if (typeof value !== 'number') throw invalidType(name, allowed, value);
  if (!Number.isInteger(value) || value < min || value > max) throw outOfRange(name, allowed, value);
  return value;
}
