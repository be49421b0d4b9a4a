import { Body, Controller, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventMetadata, type JsonObject } from '@profile-groups/contracts';

import { RequireScope } from '../../http/auth/auth.decorators';
import { RequestValidationError } from '../../http/errors/api-errors';
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
import { UpsertProfileCommand } from './upsert-profile.command';

@ApiTags(PROFILES_TAG)
@Controller(PROFILES_PATH)
export class UpsertProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':profile')
  @RequireScope('write-profiles')
  @ApiOperation({
    summary: 'Upsert the data rules see for a profile',
    description:
      'The body is the profile: any JSON object, kept as sent. It reaches the evaluation ' +
      'worker the way upstream profile changes do, and dynamic groups follow shortly. A ' +
      'profile whose event would be larger than EVENT_MAX_BYTES (512 KiB by default, in ' +
      'UTF-8 bytes) is refused with 413 event_too_large.',
  })
  @ApiProfileParam()
  @ApiBody({
    schema: { type: 'object', additionalProperties: true, example: { tier: 'gold', age: 34 } },
  })
  @ApiData(200, ProfileSchema, 'The profile as stored; the event is durable.')
  @ApiAuthenticated('write-profiles', 400, 413, 422)
  async upsert(
    @Param('profile', ProfileSegment) profile: string,
    // Not a DTO: the attributes are free-form, and the pipe must not whitelist them.
    @Body() body: unknown,
    @CommandMetadata() metadata: EventMetadata,
  ): Promise<{ data: ProfileResource }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new RequestValidationError({
        body: ['The body must be a JSON object of profile attributes.'],
      });
    }
    const command = new UpsertProfileCommand(profile, body as JsonObject, metadata);

    return { data: await this.commandBus.execute(command) };
  }
}
