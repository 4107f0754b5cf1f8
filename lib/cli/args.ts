// Shared parsing of command-line values into typed options, with errors that name the flag.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function numberFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} must be a number, got '${text}'`);
  return value;
}

export function integerFlag(flag: string, text: string | undefined): number | undefined {
  const value = numberFlag(flag, text);
  if (value !== undefined && !Number.isInteger(value)) throw new UsageError(`--${flag} must be an integer, got '${text}'`);
  return value;
}

/** `name=value` pairs from repeated --param flags. */
export function parameterFlags(pairs: string[] | undefined): Record<string, number> {
  const theta: Record<string, number> = {};
  for (const pair of pairs ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`--param must look like name=value, got '${pair}'`);
    theta[match[1]!] = numberFlag(`param ${match[1]}`, match[2])!;
  }
  return theta;
}

export function choiceFlag<T extends string>(flag: string, text: string | undefined, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!choices.includes(text as T)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got '${text}'`);
  return text as T;
}

/** --devices: 'all' or a comma-separated list of CUDA device indices. */
export function devicesFlag(text: string): 'all' | number[] {
  if (text === 'all') return 'all';
  return text.split(',').map((part) => {
    const index = integerFlag('devices', part.trim());
    if (index === undefined || index < 0) throw new UsageError(`--devices must be 'all' or a comma-separated list of device indices, got '${text}'`);
    return index;
  });
}
