import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { MinVersionParams } from '../../group-definitions/get-group-definition/get-group-definition.query-params.dto';
import { type GroupDefinitionResource } from '../../group-definitions/shared/group-definition.resource';
import {
  ApiMinVersion,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { RawQuery } from '../../http/request/request.decorators';
import { ProfileSegment } from '../../profiles/shared/profiles.routes';
import {
  ApiInstanceParams,
  FAVOURITE_GROUPS_PATH,
  FAVOURITE_GROUPS_TAG,
} from '../shared/favourite-groups.routes';
import { GetFavouriteGroupQuery } from './get-favourite-group.query';

@ApiTags(FAVOURITE_GROUPS_TAG)
@Controller(FAVOURITE_GROUPS_PATH)
export class GetFavouriteGroupController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':group')
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'Read a favourite group the profile owns' })
  @ApiInstanceParams()
  @ApiMinVersion()
  @ApiData(200, GroupDefinitionSchema, 'The instance, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async get(
    @Param('profile', ProfileSegment) profile: string,
    @Param('group', GroupSegment) group: string,
    @RawQuery() params: MinVersionParams,
  ): Promise<{ data: GroupDefinitionResource }> {
    const query = new GetFavouriteGroupQuery(profile, group, params.min_version);

    return { data: await this.queryBus.execute(query) };
  }
}
