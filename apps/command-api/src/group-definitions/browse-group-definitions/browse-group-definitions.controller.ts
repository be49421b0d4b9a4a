import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GROUP_TYPES } from '@profile-groups/contracts';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { GroupDefinitionSchema } from '../../http/openapi/schemas';
import { pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import { type GroupDefinitionResource } from '../shared/group-definition.resource';
import { GROUP_DEFINITIONS_PATH, GROUP_DEFINITIONS_TAG } from '../shared/group-definition.routes';
import { BrowseGroupDefinitionsQuery } from './browse-group-definitions.query';
import { BrowseGroupDefinitionsParams } from './browse-group-definitions.query-params.dto';

@ApiTags(GROUP_DEFINITIONS_TAG)
@Controller(GROUP_DEFINITIONS_PATH)
export class BrowseGroupDefinitionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'Browse group definitions',
    description:
      'Groups owned by a profile (its favourite instances) are left out, so that the list ' +
      'is not flooded with them: `owner_profile_id` lists one profile`s, `include_owned=true` ' +
      'lists them with the rest.',
  })
  @ApiQuery({ name: 'type', required: false, enum: GROUP_TYPES })
  @ApiQuery({ name: 'is_active', required: false, enum: ['true', 'false', '1', '0'] })
  @ApiQuery({ name: 'is_archived', required: false, enum: ['true', 'false', '1', '0'] })
  @ApiQuery({ name: 'handle', required: false, type: String })
  @ApiQuery({ name: 'owner_profile_id', required: false, type: String })
  @ApiQuery({ name: 'include_owned', required: false, enum: ['true', 'false', '1', '0'] })
  @ApiPageParams()
  @ApiPage(GroupDefinitionSchema, 'One page of group definitions, by id.')
  @ApiAuthenticated('read-group-definitions', 422)
  async browse(
    @RawQuery() params: BrowseGroupDefinitionsParams,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<GroupDefinitionResource>> {
    const { type, is_active, is_archived, handle, owner_profile_id, include_owned } = params;
    const query = new BrowseGroupDefinitionsQuery(
      { type, is_active, is_archived, handle, owner_profile_id, include_owned },
      pageRequestOf(params),
    );

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
