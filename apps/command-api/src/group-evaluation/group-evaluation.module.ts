import { Module } from '@nestjs/common';

import { GroupDefinitionsModule } from '../group-definitions/group-definitions.module';
import { DiffSnapshotsController } from './diff-snapshots/diff-snapshots.controller';
import { DiffSnapshotsHandler } from './diff-snapshots/diff-snapshots.handler';
import { ExplainProfileController } from './explain-profile/explain-profile.controller';
import { ExplainProfileHandler } from './explain-profile/explain-profile.handler';
import { GetSnapshotController } from './get-snapshot/get-snapshot.controller';
import { GetSnapshotHandler } from './get-snapshot/get-snapshot.handler';
import { ListSnapshotProfilesController } from './list-snapshot-profiles/list-snapshot-profiles.controller';
import { ListSnapshotProfilesHandler } from './list-snapshot-profiles/list-snapshot-profiles.handler';
import { ListSnapshotsController } from './list-snapshots/list-snapshots.controller';
import { ListSnapshotsHandler } from './list-snapshots/list-snapshots.handler';
import { PreviewGroupController } from './preview-group/preview-group.controller';
import { PreviewGroupHandler } from './preview-group/preview-group.handler';
import { RefreshGroupController } from './refresh-group/refresh-group.controller';
import { RefreshGroupHandler } from './refresh-group/refresh-group.handler';

/** Evaluation of dynamic groups over HTTP: refresh, snapshots and their diff, explain and preview. */
@Module({
  imports: [GroupDefinitionsModule],
  controllers: [
    PreviewGroupController,
    RefreshGroupController,
    ListSnapshotsController,
    GetSnapshotController,
    ListSnapshotProfilesController,
    DiffSnapshotsController,
    ExplainProfileController,
  ],
  providers: [
    RefreshGroupHandler,
    ListSnapshotsHandler,
    GetSnapshotHandler,
    ListSnapshotProfilesHandler,
    DiffSnapshotsHandler,
    ExplainProfileHandler,
    PreviewGroupHandler,
  ],
})
export class GroupEvaluationModule {}
