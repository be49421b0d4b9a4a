import { Query } from '@nestjs/cqrs';
import {
  type GroupRuleAttributes,
  type JsonObject,
  type JsonValue,
} from '@profile-groups/contracts';

export interface PreviewResult {
  /** Profiles that would be members. */
  readonly count: number;
  readonly evaluated: number;
  /** Ids of the first members found, up to the sample size. */
  readonly sample: string[];
  readonly evaluated_at: string;
}

export class PreviewGroupQuery extends Query<PreviewResult> {
  constructor(
    readonly query: JsonValue,
    readonly defaults: JsonObject | null,
    readonly rules: readonly GroupRuleAttributes[],
    readonly sampleSize: number,
  ) {
    super();
  }
}
