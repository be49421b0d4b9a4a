/** What a rule may read besides the data. The engine never reads the clock itself. */
export interface EvaluationContext {
  /** The instant `now` stands for, in epoch milliseconds. */
  now: number;
  /**
   * When given, every evaluate(), matches(), explain() and nextChange() with this context
   * adds the steps of work it took (evaluation-budget.ts), so that a caller running many
   * evaluations (a preview over every profile) can bound them all together.
   */
  usage?: EvaluationUsage;
}

export interface EvaluationUsage {
  steps: number;
}

export type Evaluator = (data: unknown, context: EvaluationContext) => unknown;
