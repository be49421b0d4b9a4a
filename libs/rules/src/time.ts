export const DAY_MS = 86_400_000;

/** The last instant a JavaScript Date can hold; nextChange looks no further. */
export const MAX_INSTANT = 8.64e15;

/**
 * Epoch milliseconds of a timestamp string, or null when it is not one: ISO 8601 extended
 * format (RFC 3339 profile) or "YYYY-MM-DD HH:MM:SS". That is a date, optionally a time
 * after "T" or a space (seconds and a fraction of 1-9 digits optional), optionally an
 * offset after the time (Z, +HH, +HHMM or +HH:MM). A string without an offset is UTC: the
 * engine has no time zone, so a rule means the same on every server.
 */
export function parseTimestamp(text: string): number | null {
  // Hand-written rather than a regular expression: rules parse a date from the profile
  // on every evaluation, and this is several times faster.
  const length = text.length;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return null;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offset = 0;
  if (length > 10) {
    const separator = text.charCodeAt(10);
    if (separator !== UPPER_T && separator !== LOWER_T && separator !== SPACE) return null;
    hour = digits(text, 11, 2);
    minute = digits(text, 14, 2);
    if (hour < 0 || minute < 0 || text.charCodeAt(13) !== COLON) return null;
    let i = 16;
    if (text.charCodeAt(i) === COLON) {
      second = digits(text, 17, 2);
      if (second < 0) return null;
      i = 19;
      const mark = text.charCodeAt(i);
      if (mark === DOT || mark === COMMA) {
        const start = ++i;
        for (; i < length && isDigit(text.charCodeAt(i)); i++) {
          if (i - start < 3) millis = millis * 10 + text.charCodeAt(i) - ZERO;
        }
        if (i === start || i - start > 9) return null;
        for (let scale = i - start; scale < 3; scale++) millis *= 10;
      }
    }
    if (i < length) {
      const sign = text.charCodeAt(i);
      if (sign === UPPER_Z || sign === LOWER_Z) {
        i++;
      } else if (sign === PLUS || sign === DASH) {
        const hours = digits(text, i + 1, 2);
        let minutes = 0;
        i += 3;
        if (i < length) {
          if (text.charCodeAt(i) === COLON) i++;
          minutes = digits(text, i, 2);
          i += 2;
        }
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return null;
        offset = (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
      } else {
        return null;
      }
    }
    if (i !== length) return null;
  } else if (length !== 10) {
    return null;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;

  return (
    daysFromCivil(year, month, day) * DAY_MS +
    ((hour * 60 + minute - offset) * 60 + second) * 1000 +
    millis
  );
}

const ZERO = 48;
const DASH = 45;
const PLUS = 43;
const COLON = 58;
const DOT = 46;
const COMMA = 44;
const SPACE = 32;
const UPPER_T = 84;
const LOWER_T = 116;
const UPPER_Z = 90;
const LOWER_Z = 122;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** The number written with `count` digits at `at`, or -1 if they are not all digits. */
function digits(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - ZERO;
  }

  return value;
}

/** `timestamp`: a number is already epoch milliseconds; a string is parsed; else null. */
export function toTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return parseTimestamp(value);

  return null;
}

/** `days_since`: whole days (rounded down) from a timestamp to now; null if unparseable. */
export function daysSince(value: unknown, now: number): number | null {
  const at = toTimestamp(value);

  return at === null ? null : daysBetween(at, now);
}

export function daysBetween(from: number, now: number): number {
  return Math.floor((now - from) / DAY_MS);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;

  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
// Date.UTC would do, but it reads years 0-99 as 1900-1999.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;

  return era * 146_097 + dayOfEra - 719_468;
}
