import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { GROUP_DEFINITIONS_PATH } from '../../group-definitions/shared/group-definition.routes';
import { attributesOf } from '../../group-rules/add-group-rule/add-group-rule.command';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { PreviewSchema } from '../../http/openapi/schemas';
import { GROUP_EVALUATION_TAG } from '../shared/group-evaluation.routes';
import { PreviewGroupQuery, type PreviewResult } from './preview-group.query';
import { DEFAULT_SAMPLE_SIZE, PreviewGroupRequest } from './preview-group.request.dto';

/**
 * `POST .../definitions/preview`. No `{group}` route answers POST on a single segment,
 * so `preview` is never read as a handle here, while a group whose handle is `preview`
 * stays reachable on every `{group}` route.
 */
@ApiTags(GROUP_EVALUATION_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class PreviewGroupController {
  constructor(private readonly queryBus: QueryBus) {}

  @Post('preview')
  @HttpCode(200)
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'Dry-run rules: how many profiles would be members, with a sample',
    description:
      'Query, default arguments and rules as for a dynamic group; nothing is stored. A rule ' +
      'that runs out of the evaluation budget on some profile, or a preview that takes more ' +
      'work than a preview may, is refused with 422 and error_codes budget_exceeded (at ' +
      'rules.<i>.rule, query or rules). Other evaluation failures count as not matching.',
  })
  @ApiData(200, PreviewSchema, 'The count and a sample of the members.')
  @ApiAuthenticated('read-group-definitions', 400, 413, 422)
  async preview(@Body() request: PreviewGroupRequest): Promise<{ data: PreviewResult }> {
    const query = new PreviewGroupQuery(
      request.query ?? null,
      request.arguments ?? null,
      request.rules.map(attributesOf),
      request.sample_size ?? DEFAULT_SAMPLE_SIZE,
    );

    return { data: await this.queryBus.execute(query) };
  }
}
