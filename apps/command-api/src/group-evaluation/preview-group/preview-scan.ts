import {
  DomainError,
  type GroupEvaluator,
  type RuleEvaluationFailure,
} from '@profile-groups/domain';
import { EvaluationPacer, type ProfileRecord } from '@profile-groups/evaluation';

import { type PreviewResult } from './preview-group.query';

/**
 * The work one preview may do, in the rules engine's steps (its evaluation budget counts
 * the same way): a few seconds of CPU at most. Plain rules take tens of steps a profile,
 * so this covers millions of profiles; rules that iterate long profile arrays reach it
 * sooner, and are better refreshed than previewed.
 */
export const MAX_PREVIEW_STEPS = 500_000_000;

export interface PreviewScan {
  readonly profiles: AsyncIterable<readonly ProfileRecord[]>;
  readonly now: Date;
  readonly sampleSize: number;
  readonly maxSteps?: number;
}

/**
 * Counts the profiles a transient group would include. A rule (or the query) that runs
 * out of the evaluation budget on a profile stops the preview with a 422 naming it, code
 * `budget_exceeded`: the worker would take it as not matching that profile and every one
 * like it. So does a preview that, over all the profiles, takes more than maxSteps. Other
 * evaluation failures count as not matching, as in the worker.
 */
export async function scanPreview(
  evaluator: GroupEvaluator,
  scan: PreviewScan,
): Promise<PreviewResult> {
  const maxSteps = scan.maxSteps ?? MAX_PREVIEW_STEPS;
  const pacer = new EvaluationPacer();
  const { usage } = pacer;
  const at = scan.now.getTime();
  let count = 0;
  let evaluated = 0;
  const sample: string[] = [];
  for await (const batch of scan.profiles) {
    for (const profile of batch) {
      const outcome = evaluator.evaluate(profile.attributes, at, { nextChange: false, usage });
      evaluated++;
      const costly = outcome.errors.find((failure) => failure.code === 'budget_exceeded');
      if (costly !== undefined) throw overBudget(costly, profile.profile_id);
      if (usage.steps > maxSteps) throw previewTooCostly(maxSteps, evaluated);
      // Other requests get their turn between evaluations.
      if (pacer.due()) await pacer.yield();
      if (!outcome.included) continue;
      count++;
      if (sample.length < scan.sampleSize) sample.push(profile.profile_id);
    }
  }

  return { count, evaluated, sample, evaluated_at: scan.now.toISOString() };
}

/** The rules of a preview are numbered from 1 in request order (see the handler). */
function fieldOf(failure: RuleEvaluationFailure): string {
  return failure.ruleId === null ? 'query' : `rules.${failure.ruleId - 1}.rule`;
}

function overBudget(failure: RuleEvaluationFailure, profileId: string): DomainError {
  const field = fieldOf(failure);

  return DomainError.validation(
    { [field]: [`On profile ${profileId}: ${failure.message}`] },
    { [field]: ['budget_exceeded'] },
  );
}

function previewTooCostly(maxSteps: number, evaluated: number): DomainError {
  return DomainError.validation(
    {
      rules: [
        `Previewing these rules takes more than ${maxSteps} steps of work (${evaluated} profiles evaluated); save them and refresh the group instead.`,
      ],
    },
    { rules: ['budget_exceeded'] },
  );
}
