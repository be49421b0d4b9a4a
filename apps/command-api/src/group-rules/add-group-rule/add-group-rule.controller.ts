import { Body, Controller, Headers, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { parseIfMatch } from '../../group-definitions/shared/concurrency';
import {
  ApiGroupParam,
  ApiIfMatch,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupRuleWriteSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import {
  GROUP_RULES_PATH,
  GROUP_RULES_TAG,
  type GroupRuleWritten,
} from '../shared/group-rules.routes';
import { AddGroupRuleCommand } from './add-group-rule.command';
import { AddGroupRuleRequest } from './add-group-rule.request.dto';

@ApiTags(GROUP_RULES_TAG)
@Controller(GROUP_RULES_PATH)
export class AddGroupRuleController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @RequireScope('create-group-definitions')
  @ApiOperation({
    summary: 'Add a rule to a dynamic group',
    description:
      'From a rule definition with argument values, or an inline rule. Answers the rule ' +
      'with its effective (resolved) rule and the group version; 422 `wrong_group_type` ' +
      'for a group that is not dynamic.',
  })
  @ApiGroupParam()
  @ApiIfMatch()
  @ApiData(201, GroupRuleWriteSchema, 'The new rule at rule_version 1.')
  @ApiAuthenticated('create-group-definitions', 400, 404, 409, 413, 422)
  async add(
    @Param('group', GroupSegment) group: string,
    @Body() request: AddGroupRuleRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupRuleWritten }> {
    const command = AddGroupRuleCommand.fromRequest(
      group,
      request,
      parseIfMatch(ifMatch),
      metadata,
    );

    return { data: await this.commandBus.execute(command) };
  }
}
