import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { GroupProfileSchema } from '../../http/openapi/schemas';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import { pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import { type GroupProfileResource } from '../shared/group-profile.resource';
import { GROUP_MEMBERS_PATH, GROUP_MEMBERS_TAG } from '../shared/group-members.routes';
import { ListGroupMembersQuery } from './list-group-members.query';
import { ListGroupMembersParams } from './list-group-members.query-params.dto';

@ApiTags(GROUP_MEMBERS_TAG)
@Controller(GROUP_MEMBERS_PATH)
export class ListGroupMembersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'List the members of a group, oldest membership first' })
  @ApiGroupParam()
  @ApiQuery({
    name: 'include_removed',
    required: false,
    enum: ['true', 'false', '1', '0'],
    description: 'Also list memberships that ended.',
  })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description:
      'The memberships in force at that instant (ISO 8601 or YYYY-MM-DD HH:MM:SS, UTC): ' +
      'added at or before it, and neither removed nor expired by then. Fields show each ' +
      'membership as it is now (a later removal included).',
  })
  @ApiPageParams()
  @ApiPage(GroupProfileSchema, 'One page of memberships, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async list(
    @Param('group', GroupSegment) group: string,
    @RawQuery() params: ListGroupMembersParams,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<GroupProfileResource>> {
    const query = new ListGroupMembersQuery(
      group,
      params.include_removed ?? false,
      pageRequestOf(params),
      params.as_of ?? null,
    );

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
