import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import { pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import { ProfileSegment } from '../../profiles/shared/profiles.routes';
import {
  ApiOwnerParam,
  FAVOURITE_GROUPS_PATH,
  FAVOURITE_GROUPS_TAG,
} from '../shared/favourite-groups.routes';
import { ListProfileGroupsQuery } from './list-profile-groups.query';
import { ListProfileGroupsParams } from './list-profile-groups.query-params.dto';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUPS_PATH)
export class ListProfileGroupsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'List the favourite groups a profile owns, or the groups it is a member of',
    description:
      'Without `member`: the profile`s favourite instances, by id. With `member=true`: every ' +
      'group of any type the profile is currently a member of, in the order it joined them.',
  })
  @ApiOwnerParam()
  @ApiQuery({ name: 'member', required: false, enum: ['true', 'false', '1', '0'] })
  @ApiPageParams()
  @ApiPage(GroupDefinitionSchema, 'One page of group definitions, from the read model.')
  @ApiAuthenticated('read-group-definitions', 422)
  async list(
    @Param('profile', ProfileSegment) profile: string,
    @RawQuery() params: ListProfileGroupsParams,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<GroupDefinitionResource>> {
    const query = new ListProfileGroupsQuery(
      profile,
      params.member ?? false,
      pageRequestOf(params),
    );

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
