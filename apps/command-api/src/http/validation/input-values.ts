/**
 * Parsers of input values that HTTP delivers as text. Each returns the parsed value,
 * or the input unchanged so that the validator after it reports the field.
 */

const QUERY_BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

/** Only `true`, `false`, `1` and `0`: `Boolean("false")` must never reach a filter. */
export function parseQueryBoolean(value: unknown): unknown {
  return typeof value === 'string' && value in QUERY_BOOLEANS ? QUERY_BOOLEANS[value] : value;
}

export function parseQueryInteger(value: unknown): unknown {
  return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An input timestamp as ISO 8601 UTC (`2026-01-31T09:30:00.000Z`). Accepts ISO 8601
 * and `YYYY-MM-DD HH:MM:SS`; a value without an offset is UTC. Impossible dates
 * (31 February) are refused rather than rolled over.
 */
export function normalizeTimestamp(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = ISO_8601.exec(value.trim());
  if (!match) return value;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset] =
    match;
  const zone = offset === undefined || offset === 'Z' ? 'Z' : withColon(offset);
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0');
  const parsed = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${zone}`);
  if (Number.isNaN(parsed.getTime())) return value;
  const calendarDay = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (
    calendarDay.getUTCFullYear() !== Number(year) ||
    calendarDay.getUTCMonth() + 1 !== Number(month) ||
    calendarDay.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    return value;
  }

  return parsed.toISOString();
}

export function isNormalizedTimestamp(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value);
}

function withColon(offset: string): string {
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}
