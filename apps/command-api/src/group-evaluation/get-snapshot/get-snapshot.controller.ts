import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { SnapshotSchema } from '../../http/openapi/schemas';
import {
  ApiSnapshotParam,
  GROUP_EVALUATION_TAG,
  SNAPSHOTS_PATH,
  SnapshotSegment,
} from '../shared/group-evaluation.routes';
import { type SnapshotResource } from '../shared/snapshot.resource';
import { GetSnapshotQuery } from './get-snapshot.query';

@ApiTags(GROUP_EVALUATION_TAG)
@Controller(SNAPSHOTS_PATH)
export class GetSnapshotController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':snapshot')
  @RequireScope('read-group-definitions')
  @ApiOperation({ summary: 'Read one evaluation run: trigger, times, status, counts, versions' })
  @ApiGroupParam()
  @ApiSnapshotParam()
  @ApiData(200, SnapshotSchema, 'The run, from the read model.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async get(
    @Param('group', GroupSegment) group: string,
    @Param('snapshot', SnapshotSegment) snapshot: string,
  ): Promise<{ data: SnapshotResource }> {
    const query = new GetSnapshotQuery(group, snapshot);

    return { data: await this.queryBus.execute(query) };
  }
}
