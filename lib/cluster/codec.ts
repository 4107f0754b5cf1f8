// Messages on the cluster are JSON, with typed arrays carried as their raw bytes (base64) so that
// every number crosses bitwise: -0, NaN payloads and all 17 significant digits included.
const typedArrays = { Float64Array, Float32Array, Int32Array, Uint32Array } as const;
type TypedArrayName = keyof typeof typedArrays;

function typedName(value: unknown): TypedArrayName | undefined {
  return (Object.keys(typedArrays) as TypedArrayName[]).find((name) => value instanceof typedArrays[name]);
}

export function encodeMessage(value: unknown): Uint8Array {
  const text = JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string) {
    const raw = this[key];
    const name = typedName(raw);
    if (name === undefined) return raw;
    const array = raw as Float64Array;
    return { $typed: name, base64: Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64') };
  });
  return new TextEncoder().encode(text);
}

/** The decoded message; throws a TypeError that says what is wrong with bytes that are not one. */
export function decodeMessage(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TypeError('not UTF-8 text');
  }
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (value === null || typeof value !== 'object' || !('$typed' in value)) return value;
      const { $typed: name, base64 } = value as { $typed: unknown; base64: unknown };
      if (typeof name !== 'string' || !(name in typedArrays) || typeof base64 !== 'string') throw new TypeError('a malformed typed array');
      const raw = Buffer.from(base64, 'base64');
      const Type = typedArrays[name as TypedArrayName];
      if (raw.length % Type.BYTES_PER_ELEMENT !== 0) throw new TypeError(`a ${name} of ${raw.length} bytes`);
      const copy = new Uint8Array(raw.length);
      copy.set(raw);
      return new Type(copy.buffer);
    });
  } catch (error) {
    throw new TypeError(error instanceof SyntaxError ? 'not JSON' : (error as Error).message);
  }
}
