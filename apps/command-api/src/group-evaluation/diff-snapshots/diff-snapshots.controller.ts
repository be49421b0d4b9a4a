import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import {
  ApiGroupParam,
  GroupSegment,
} from '../../group-definitions/shared/group-definition.routes';
import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiPage } from '../../http/openapi/api-docs.decorators';
import { SnapshotChangeSchema } from '../../http/openapi/schemas';
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
  SnapshotSegment,
  SNAPSHOTS_PATH,
} from '../shared/group-evaluation.routes';
import { DiffSnapshotsQuery } from './diff-snapshots.query';
import { DiffSnapshotsParams } from './diff-snapshots.query-params.dto';
import { type SnapshotChangeResource } from './snapshot-change.resource';

@ApiTags(GROUP_EVALUATION_TAG)
@Controller(SNAPSHOTS_PATH)
export class DiffSnapshotsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':snapshot/diff')
  @RequireScope('read-group-definitions')
  @ApiOperation({
    summary: 'Profiles whose membership differs between two completed runs',
    description:
      "Compares the group's members when the run `from` finished with its members when " +
      '`{snapshot}` finished: `added` are members after `{snapshot}` only, `removed` after ' +
      '`from` only. Compare the two runs themselves (rule versions, counts) with GET .../snapshots/{id}.',
  })
  @ApiGroupParam()
  @ApiSnapshotParam()
  @ApiQuery({ name: 'from', required: true, description: 'Id of the run to compare with.' })
  @ApiPageParams()
  @ApiPage(SnapshotChangeSchema, 'One page of changes: added first, then removed.')
  @ApiAuthenticated('read-group-definitions', 404, 422)
  async diff(
    @Param('group', GroupSegment) group: string,
    @Param('snapshot', SnapshotSegment) snapshot: string,
    @RawQuery() params: DiffSnapshotsParams,
    @RequestedLocation() location: RequestLocation,
  ): Promise<Paginated<SnapshotChangeResource>> {
    const query = new DiffSnapshotsQuery(group, snapshot, params.from, pageRequestOf(params));

    return paginate(await this.queryBus.execute(query), location, (item) => item);
  }
}
