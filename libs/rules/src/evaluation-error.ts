export const EVALUATION_ERROR_CODES = [
  /** An operation json-logic-js does not know either; only reachable through data. */
  'unknown_operator',
  /** A path computed at evaluation time names __proto__, constructor or prototype. */
  'unsafe_path',
  /** The rule reads the time and the context has no finite `now`. */
  'invalid_context',
  /** Where json-logic-js itself throws, e.g. `*` of nothing or `in` on {"indexOf": 1}. */
  'evaluation_failed',
  /** The evaluation took more steps of work than its budget (RuleLimits.maxSteps). */
  'budget_exceeded',
] as const;
export type EvaluationErrorCode = (typeof EVALUATION_ERROR_CODES)[number];

/** Evaluation failed where json-logic-js's apply() would have thrown too. */
export class EvaluationError extends Error {
  constructor(
    readonly code: EvaluationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EvaluationError';
  }

  static from(error: unknown): EvaluationError {
    if (error instanceof EvaluationError) return error;
    const message = error instanceof Error ? error.message : String(error);

    return new EvaluationError('evaluation_failed', message, { cause: error });
  }
}
