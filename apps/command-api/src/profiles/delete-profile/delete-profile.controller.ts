import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata } from '@profile-groups/contracts';

import { RequireScope } from '../../http/auth/auth.decorators';
import { ApiAuthenticated, ApiData } from '../../http/openapi/api-docs.decorators';
import { ProfileSchema } from '../../http/openapi/schemas';
import { CommandMetadata } from '../../http/request/request.decorators';
import { type ProfileResource } from '../shared/profile.resource';
import {
  ApiProfileParam,
  PROFILES_PATH,
  PROFILES_TAG,
  ProfileSegment,
} from '../shared/profiles.routes';
import { DeleteProfileCommand } from './delete-profile.command';

@ApiTags(PROFILES_TAG)
@Controller(PROFILES_PATH)
export class DeleteProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':profile')
  @RequireScope('write-profiles')
  @ApiOperation({
    summary: 'Delete a profile',
    description: 'It leaves every group (reason profile_deleted) once the worker has it.',
  })
  @ApiProfileParam()
  @ApiData(200, ProfileSchema, 'The deletion is durable; attributes is null.')
  @ApiAuthenticated('write-profiles', 422)
  async delete(
    @Param('profile', ProfileSegment) profile: string,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: ProfileResource }> {
    const command = new DeleteProfileCommand(profile, metadata);

    return { data: await this.commandBus.execute(command) };
  }
}
