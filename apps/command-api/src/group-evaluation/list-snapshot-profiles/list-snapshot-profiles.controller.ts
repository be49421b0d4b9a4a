import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { SnapshotProfileSchema } from '../../http/openapi/schemas';
import { ApiPageParams } from '../../http/pagination/page-params.docs';
import { pageRequestOf } from '../../http/pagination/page-query.dto';
import { paginate, type Paginated } from '../../http/pagination/paginate';
import {
  RawQuery,
  RequestedLocation,
  type RequestLocation,
} from '../../http/request/request.decorators';
import {
  ApiSnapshotParam,
  GROUP_EVALUATION_TAG,
  SNAPSHOTS_PATH,
  SnapshotSegment,
} from '../shared/group-evaluation.routes';
import { type SnapshotProfileResource } from '../shared/snapshot.resource';
import { ListSnapshotProfilesQuery } from './list-snapshot-profiles.query';
import { ListSnapshotProfilesParams } from './list-snapshot-profiles.query-params.dto';

const BOOLEAN_VALUES = ['true', 'false', '1', '0'];

@ApiTags(GROUP_EVALUATION_TAG)
@Controller(SNAPSHOTS_PATH)
export class ListSnapshotProfilesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':snapshot/profiles')
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'Per-profile results of an evaluation run' })
  @ApiGroupParam()
  @ApiSnapshotParam()
  @ApiQuery({ name: 'included', required: false, enum: BOOLEAN_VALUES })
  @ApiQuery({
    name: 'changed',
    required: false,
    enum: BOOLEAN_VALUES,
    description: 'Only profiles the run moved in or out (true) or left as they were (false).',
  })
  @ApiPageParams()
  @ApiPage(SnapshotProfileSchema, 'One page of results.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async list(
    @Param('group', GroupSegment) group: string,
    @Param('snapshot', SnapshotSegment) snapshot: string,
    @RawQuery() params: ListSnapshotProfilesParams,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<SnapshotProfileResource>> {
    const query = new ListSnapshotProfilesQuery(
      group,
      snapshot,
      { included: params.included, changed: params.changed },
      pageRequestOf(params),
    );

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
