import { charge, chargeText, operand } from './evaluation-budget';
import { EvaluationError } from './evaluation-error';
import { UNSAFE_SEGMENTS } from './operators';

// The operators of json-logic-js 2.0.5 (logic.js) as functions of their evaluated
// arguments, written to give the same result for every input, quirks included. The one
// change is in reading data: own properties only, and no prototype machinery.

type Numeric = number;

/** Splits a path as json-logic-js does (String(path).split(".")), refusing unsafe segments. */
export function pathSegments(path: unknown): string[] {
  const segments = String(operand(path)).split('.');
  charge(segments.length);
  for (const segment of segments) {
    if (UNSAFE_SEGMENTS.has(segment)) {
      throw new EvaluationError('unsafe_path', `The path "${String(path)}" is not allowed.`);
    }
  }

  return segments;
}

const OBJECT_PROTOTYPE = Object.prototype;
const prototypeOf = Object.getPrototypeOf;

/**
 * data[key] if it is an own property, else undefined. Reading first and asking
 * Object.hasOwn only when an inherited value is possible keeps the usual case (a plain
 * object, a key Object.prototype does not have) as fast as a bare property read; a
 * polluted Object.prototype fails the `in` test and takes the slow path.
 */
export function ownValue(data: unknown, key: string): unknown {
  if (data === null || data === undefined) return undefined;
  const value = (data as Record<string, unknown>)[key];
  if (value === undefined) return undefined;
  const prototype: unknown = prototypeOf(data);
  if (prototype === null || (prototype === OBJECT_PROTOTYPE && !(key in OBJECT_PROTOTYPE))) {
    return value;
  }

  return Object.hasOwn(data, key) ? value : undefined;
}

/** Follows a path through own properties; a missing step or an undefined value is notFound. */
export function readPath(data: unknown, segments: readonly string[], notFound: unknown): unknown {
  let current = data;
  for (const segment of segments) {
    current = ownValue(current, segment);
    if (current === undefined) return notFound;
  }

  return current;
}

/** `var`: "" / null / no path is the whole data; the default replaces null, not found. */
export function readVar(data: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (path === undefined || path === '' || path === null) return data;

  return readPath(data, pathSegments(path), notFound);
}

export function contains(needle: unknown, haystack: unknown): boolean {
  if (!haystack || typeof (haystack as { indexOf?: unknown }).indexOf === 'undefined') {
    return false;
  }
  if (typeof haystack === 'string') {
    charge(haystack.length);
    operand(needle);
  } else if (Array.isArray(haystack)) {
    charge(haystack.length);
  }

  return (haystack as { indexOf(item: unknown): number }).indexOf(needle) !== -1;
}

/** `cat`: charged before it joins, so an overlong string is never built. */
export function concatenate(values: readonly unknown[]): string {
  let characters = values.length;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string') characters += value.length;
    else if (Array.isArray(value)) chargeText(value);
  }
  charge(characters);

  return values.join('');
}

export function substring(source: unknown, start: unknown, length: unknown): string {
  const text = String(operand(source));
  operand(start);
  operand(length);
  let result: string;
  if ((length as Numeric) < 0) {
    // Like PHP's substr, a negative length drops that many characters from the end.
    const rest = text.substr(start as Numeric);
    result = rest.substr(0, rest.length + (length as Numeric));
  } else {
    result = text.substr(start as Numeric, length as Numeric);
  }
  charge(result.length);

  return result;
}

/** parseFloat as `+` and `*` apply it: the number's string form, so -0 becomes 0. */
export function toFloat(value: unknown): number {
  if (typeof value === 'number') return value === 0 ? 0 : value;

  return parseFloat(operand(value) as string);
}

export function sum(values: readonly unknown[]): number {
  let total = 0;
  for (const value of values) total = total + toFloat(value);

  return total;
}

/** `*` is a reduce without a seed: one argument comes back as it is, none throws. */
export function product(values: readonly unknown[]): unknown {
  if (values.length === 0) {
    throw new EvaluationError('evaluation_failed', 'Reduce of empty array with no initial value');
  }
  let total: unknown = values[0];
  for (let i = 1; i < values.length; i++) total = toFloat(total) * toFloat(values[i]);

  return total;
}

export function subtract(a: unknown, b: unknown): number {
  return b === undefined ? -operand(a as Numeric) : operand(a as Numeric) - operand(b as Numeric);
}

/** `merge`: charged before it concatenates, so an overlong array is never built. */
export function merge(values: readonly unknown[]): unknown[] {
  let length = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    length += Array.isArray(value) ? value.length : 1;
  }
  charge(length);

  return ([] as unknown[]).concat(...values);
}

export function maximum(values: readonly unknown[]): number {
  for (let i = 0; i < values.length; i++) operand(values[i]);

  return Math.max(...(values as number[]));
}

export function minimum(values: readonly unknown[]): number {
  for (let i = 0; i < values.length; i++) operand(values[i]);

  return Math.min(...(values as number[]));
}

/** Charges the conversion of whichever of a comparison's operands is an array. */
function operands(a: unknown, b: unknown, c: unknown): void {
  if (typeof a === 'object' || typeof b === 'object' || typeof c === 'object') {
    operand(a);
    operand(b);
    operand(c);
  }
}

export function lessThan(a: unknown, b: unknown, c: unknown): boolean {
  operands(a, b, c);
  return c === undefined
    ? (a as Numeric) < (b as Numeric)
    : (a as Numeric) < (b as Numeric) && (b as Numeric) < (c as Numeric);
}

export function lessOrEqual(a: unknown, b: unknown, c: unknown): boolean {
  operands(a, b, c);
  return c === undefined
    ? (a as Numeric) <= (b as Numeric)
    : (a as Numeric) <= (b as Numeric) && (b as Numeric) <= (c as Numeric);
}

export type ComparisonOperator = '==' | '===' | '!=' | '!==' | '>' | '>=' | '<' | '<=';

/** A two-sided comparison, as the operators apply it to their first two arguments. */
export function compare(op: ComparisonOperator, a: unknown, b: unknown): boolean {
  if (op !== '===' && op !== '!==') operands(a, b, undefined);
  switch (op) {
    case '==':
      return a == b;
    case '===':
      return a === b;
    case '!=':
      return a != b;
    case '!==':
      return a !== b;
    case '>':
      return (a as Numeric) > (b as Numeric);
    case '>=':
      return (a as Numeric) >= (b as Numeric);
    case '<':
      return (a as Numeric) < (b as Numeric);
    case '<=':
      return (a as Numeric) <= (b as Numeric);
  }
}
