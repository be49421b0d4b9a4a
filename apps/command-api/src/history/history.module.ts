import { Module } from '@nestjs/common';

import { GroupHistoryController } from './group-history/group-history.controller';
import { GroupHistoryHandler } from './group-history/group-history.handler';
import { ProfileHistoryController } from './profile-history/profile-history.controller';
import { ProfileHistoryHandler } from './profile-history/profile-history.handler';

/** The audit trail over HTTP: a group's events, and a profile's membership events. */
@Module({
  controllers: [GroupHistoryController, ProfileHistoryController],
  providers: [GroupHistoryHandler, ProfileHistoryHandler],
})
export class HistoryModule {}
