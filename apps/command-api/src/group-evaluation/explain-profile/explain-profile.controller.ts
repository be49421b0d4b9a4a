import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  GROUP_DEFINITIONS_PATH,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { ExplanationSchema } from '../../http/openapi/schemas';
import { ApiProfileParam, ProfileSegment } from '../../profiles/shared/profiles.routes';
import { GROUP_EVALUATION_TAG } from '../shared/group-evaluation.routes';
import { ExplainProfileQuery } from './explain-profile.query';
import { type ExplanationResource } from './explanation.resource';

@ApiTags(GROUP_EVALUATION_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class ExplainProfileController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':group/explain/:profile')
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'Explain why a profile is in or out of a dynamic group',
    description:
      'Evaluates the current rules on the current profile data: per rule the resolved ' +
      'rule, the evaluated tree with each sub-expression’s value and the outcome; then ' +
      'the decision, compared with the latest completed snapshot.',
  })
  @ApiGroupParam()
  @ApiProfileParam()
  @ApiData(200, ExplanationSchema, 'The explanation.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async explain(
    @Param('group', GroupSegment) group: string,
    @Param('profile', ProfileSegment) profile: string,
  ): Promise<{ data: ExplanationResource }> {
    return { data: await this.queryBus.execute(new ExplainProfileQuery(group, profile)) };
  }
}
