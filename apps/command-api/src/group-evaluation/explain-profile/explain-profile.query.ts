import { Query } from '@nestjs/cqrs';

import { type ExplanationResource } from './explanation.resource';

export class ExplainProfileQuery extends Query<ExplanationResource> {
  constructor(
    readonly group: string,
    readonly profileId: string,
  ) {
    super();
  }
}
