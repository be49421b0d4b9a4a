import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { ListGroupMembersParams } from '../../group-members/list-group-members/list-group-members.query-params.dto';
import { type GroupProfileResource } from '../../group-members/shared/group-profile.resource';
import { GroupSegment } from '../../group-definitions/shared/group-definition.routes';
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
import { ProfileSegment } from '../../profiles/shared/profiles.routes';
import { FAVOURITE_GROUP_MEMBERS_PATH } from '../shared/favourite-group-members.routes';
import { ApiInstanceParams, FAVOURITE_GROUPS_TAG } from '../shared/favourite-groups.routes';
import { ListFavouriteGroupMembersQuery } from './list-favourite-group-members.query';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUP_MEMBERS_PATH)
export class ListFavouriteGroupMembersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'List the members of a favourite group the profile owns, oldest first',
    description:
      'Members a connection brought in have source_type `connection` and source_id the ' +
      'connection type; manual additions have source_type null.',
  })
  @ApiInstanceParams()
  @ApiQuery({
    name: 'include_removed',
    required: false,
    enum: ['true', 'false', '1', '0'],
    description: 'Also list memberships that ended.',
  })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: 'The memberships in force at that instant (ISO 8601 or YYYY-MM-DD HH:MM:SS, UTC).',
  })
  @ApiPageParams()
  @ApiPage(GroupProfileSchema, 'One page of memberships, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async list(
    @Param('profile', ProfileSegment) profile: string,
    @Param('group', GroupSegment) group: string,
    @RawQuery() params: ListGroupMembersParams,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<GroupProfileResource>> {
    const query = new ListFavouriteGroupMembersQuery(
      profile,
      group,
      params.include_removed ?? false,
      pageRequestOf(params),
      params.as_of ?? null,
    );

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
