import { Controller, Delete, Headers, Param } from '@nestjs/common';
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
  ApiRuleParam,
  GROUP_RULES_PATH,
  GROUP_RULES_TAG,
  type GroupRuleWritten,
  RuleIdSegment,
} from '../shared/group-rules.routes';
import { RemoveGroupRuleCommand } from './remove-group-rule.command';

@ApiTags(GROUP_RULES_TAG)
@Controller(GROUP_RULES_PATH)
export class RemoveGroupRuleController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':rule')
  @RequireScope('delete-group-definitions')
  @ApiOperation({ summary: 'Remove a rule from a dynamic group' })
  @ApiGroupParam()
  @ApiRuleParam()
  @ApiIfMatch()
  @ApiData(200, GroupRuleWriteSchema, 'The removed rule as it was, with the group version.')
  @ApiAuthenticated('delete-group-definitions', 404, 409, 422)
  async remove(
    @Param('group', GroupSegment) group: string,
    @Param('rule', RuleIdSegment) rule: number,
    @Headers('if-match') ifMatch: string | undefined,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: GroupRuleWritten }> {
    const command = new RemoveGroupRuleCommand(group, rule, parseIfMatch(ifMatch), metadata);

    return { data: await this.commandBus.execute(command) };
  }
}
