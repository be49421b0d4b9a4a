import { readPath } from './semantics';

/** Reads a fixed path through own properties: the value, or undefined when not found. */
export type PathReader = (data: unknown) => unknown;

const OBJECT_PROTOTYPE = Object.prototype;
const prototypeOf = Object.getPrototypeOf;
const hasOwn = Object.hasOwn;

const readers = new Map<string, PathReader>();
const MAX_CACHED_READERS = 10_000;

/**
 * Generating a function costs tens of microseconds (a `new Function`), so a rule of
 * thousands of distinct paths or hundreds of iterators took a fifth of a second to
 * compile, and a preview of fifty such rules ten seconds. Past this many generated
 * functions in one compilation (readers here, iterator bodies in codegen.ts), the rest
 * runs as the shared closures: a little slower per evaluation, and free to build.
 */
export const MAX_GENERATED_FUNCTIONS = 256;

let generationsLeft = Infinity;
let generated = 0;

/** Runs a compilation that may generate at most MAX_GENERATED_FUNCTIONS new functions. */
export function withGenerationBudget<T>(compile: () => T): T {
  generationsLeft = MAX_GENERATED_FUNCTIONS;
  try {
    return compile();
  } finally {
    generationsLeft = Infinity;
  }
}

/** Takes one generation from the running compilation's budget; false when it is spent. */
export function mayGenerate(): boolean {
  if (generationsLeft <= 0) return false;
  generationsLeft--;
  generated++;

  return true;
}

/** Functions generated so far in this process (for tests). */
export function generatedFunctions(): number {
  return generated;
}

/**
 * A reader for a path known at compile time, as generated code, so that every property
 * access site sees one key (a fast, monomorphic inline cache) instead of one shared
 * `data[key]` for all keys of all rules, which V8 can only serve through a slow generic
 * lookup. The only rule text in the generated source is each segment passed through
 * JSON.stringify, which always yields a complete JavaScript string literal; segments are
 * already checked to be safe (no __proto__, constructor or prototype).
 *
 * A value is taken when it is an own property. Reading first and asking hasOwn only when
 * an inherited value is possible keeps the usual case (a plain object, a key
 * Object.prototype lacks) as fast as a bare read; a key added to Object.prototype by
 * pollution fails the `in` test and goes through hasOwn.
 */
export function pathReader(segments: readonly string[]): PathReader {
  const path = JSON.stringify(segments);
  const cached = readers.get(path);
  if (cached !== undefined) return cached;
  if (!mayGenerate()) return (data) => readPath(data, segments, undefined);
  const steps = segments.map((segment) => {
    const key = JSON.stringify(segment);

    return `
    if (value === null || value === undefined) return undefined;
    next = value[${key}];
    if (next === undefined) return undefined;
    prototype = prototypeOf(value);
    if (!(prototype === null || (prototype === OBJECT_PROTOTYPE && !(${key} in OBJECT_PROTOTYPE)))
      && !hasOwn(value, ${key})) return undefined;
    value = next;`;
  });
  const source = `"use strict";
  return function readPath(data) {
    let value = data;
    let next;
    let prototype;${steps.join('')}
    return value;
  };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above: no rule text but JSON string literals
  const factory = new Function('prototypeOf', 'OBJECT_PROTOTYPE', 'hasOwn', source) as (
    ...dependencies: unknown[]
  ) => PathReader;
  const reader = factory(prototypeOf, OBJECT_PROTOTYPE, hasOwn);
  if (readers.size < MAX_CACHED_READERS) readers.set(path, reader);

  return reader;
}
