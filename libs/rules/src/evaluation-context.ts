/** What a rule may read besides the data. The engine never reads the clock itself. */
export interface EvaluationContext {
  /** The instant `now` stands for, in epoch milliseconds. */
  now: number;
}

export type Evaluator = (data: unknown, context: EvaluationContext) => unknown;
