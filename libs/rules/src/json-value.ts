export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };

/**
 * An object as JSON.parse makes it: no class instance, no Date, no Map. Its prototype is
 * Object.prototype of any realm (a vm context, structuredClone) or null.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);

  return (
    prototype === null ||
    (Object.getPrototypeOf(prototype) === null &&
      Object.prototype.toString.call(value) === '[object Object]')
  );
}

/**
 * A deep copy of a value already known to be JSON, frozen if asked. A key named
 * `__proto__` is defined as an own property, as JSON.parse does, instead of replacing the
 * prototype.
 */
export function copyJson(value: JsonValue, freeze = false): JsonValue {
  if (Array.isArray(value)) {
    const items = value.map((item) => copyJson(item, freeze));

    return freeze ? (Object.freeze(items) as JsonValue) : items;
  }
  if (typeof value !== 'object' || value === null) return value;
  const copy: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(copy, key, {
      value: copyJson(item, freeze),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }

  return freeze ? Object.freeze(copy) : copy;
}

/** Whether a value is JSON through and through, without walking deeper than maxDepth. */
export function isJsonValue(value: unknown, maxDepth = 256): value is JsonValue {
  if (maxDepth < 0) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value) || !isJsonValue(value[i], maxDepth - 1)) return false;
        }

        return true;
      }

      return (
        isPlainObject(value) &&
        Object.values(value).every((item) => isJsonValue(item, maxDepth - 1))
      );
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      return false;
  }
}

/**
 * The numbers JSON cannot hold in a value (NaN, Infinity: what JSON.parse makes of
 * 1e400), each with its dotted path relative to the value ("" for the value itself,
 * "tiers.1" inside). Walks arrays and plain objects no deeper than maxDepth.
 */
export function nonFiniteNumbers(
  value: unknown,
  maxDepth = 256,
): { path: string; value: number }[] {
  const found: { path: string; value: number }[] = [];
  const walk = (item: unknown, path: string, depth: number): void => {
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) found.push({ path, value: item });

      return;
    }
    if (depth >= maxDepth || typeof item !== 'object' || item === null) return;
    const entries = Array.isArray(item) ? item.entries() : Object.entries(item);
    for (const [key, child] of entries) {
      walk(child, path === '' ? String(key) : `${path}.${key}`, depth + 1);
    }
  };
  walk(value, '', 0);

  return found;
}
