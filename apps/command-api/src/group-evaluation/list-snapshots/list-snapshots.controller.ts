import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { SnapshotSchema } from '../../http/openapi/schemas';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import { PageQuery, pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import { GROUP_EVALUATION_TAG, SNAPSHOTS_PATH } from '../shared/group-evaluation.routes';
import { type SnapshotResource } from '../shared/snapshot.resource';
import { ListSnapshotsQuery } from './list-snapshots.query';

@ApiTags(GROUP_EVALUATION_TAG)
@Controller(SNAPSHOTS_PATH)
export class ListSnapshotsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: "List a group's evaluation runs, newest first" })
  @ApiGroupParam()
  @ApiPageParams()
  @ApiPage(SnapshotSchema, 'One page of runs, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async list(
    @Param('group', GroupSegment) group: string,
    @RawQuery() params: PageQuery,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<SnapshotResource>> {
    const query = new ListSnapshotsQuery(group, pageRequestOf(params));

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
