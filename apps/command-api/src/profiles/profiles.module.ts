import { Module } from '@nestjs/common';

import { GroupDefinitionsModule } from '../group-definitions/group-definitions.module';
import { DeleteProfileController } from './delete-profile/delete-profile.controller';
import { DeleteProfileHandler } from './delete-profile/delete-profile.handler';
import { ProfileStreams } from './shared/profile-streams';
import { UpsertProfileController } from './upsert-profile/upsert-profile.controller';
import { UpsertProfileHandler } from './upsert-profile/upsert-profile.handler';

/** Profile input over HTTP, for demos and small integrations (API.md, Profile input). */
@Module({
  imports: [GroupDefinitionsModule],
  controllers: [UpsertProfileController, DeleteProfileController],
  providers: [ProfileStreams, UpsertProfileHandler, DeleteProfileHandler],
})
export class ProfilesModule {}
