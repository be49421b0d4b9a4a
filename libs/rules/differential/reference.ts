import * as jsonLogic from 'json-logic-js';

// json-logic-js's `log` prints with console.log and returns its argument; ours only
// returns it. Same value, no noise in test output.
jsonLogic.add_operation('log', (value: unknown) => value);

export type Outcome = { threw: false; value: unknown } | { threw: true; error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { threw: false, value: run() };
  } catch (error) {
    return { threw: true, error: error instanceof Error ? error.message : String(error) };
  }
}

/** What json-logic-js 2.0.5's apply(rule, data) gives. */
export function reference(rule: unknown, data: unknown): Outcome {
  return outcome(() => jsonLogic.apply(rule, data));
}

export function outcomeOf(run: () => unknown): Outcome {
  return outcome(run);
}

/**
 * Deep equality that takes NaN as equal to NaN and tells -0 from 0 (Object.is on
 * primitives; `signedZero: false` for JSON, which has no -0), and compares arrays and
 * plain objects by content.
 */
export function sameValue(a: unknown, b: unknown, signedZero = true): boolean {
  if (Object.is(a, b) || (!signedZero && a === 0 && b === 0)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (i in a !== i in b || !sameValue(a[i], b[i], signedZero)) return false;
    }

    return true;
  }
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;

  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameValue(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        signedZero,
      ),
  );
}

export function sameOutcome(a: Outcome, b: Outcome, signedZero = true): boolean {
  return a.threw || b.threw ? a.threw === b.threw : sameValue(a.value, b.value, signedZero);
}
