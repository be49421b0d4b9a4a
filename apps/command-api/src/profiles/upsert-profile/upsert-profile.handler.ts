import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../../infrastructure/clock';
import { type ProfileResource } from '../shared/profile.resource';
import { ProfileStreams } from '../shared/profile-streams';
import { UpsertProfileCommand } from './upsert-profile.command';

@CommandHandler(UpsertProfileCommand)
export class UpsertProfileHandler implements ICommandHandler<UpsertProfileCommand> {
  constructor(
    private readonly streams: ProfileStreams,
    private readonly clock: Clock,
  ) {}

  async execute(command: UpsertProfileCommand): Promise<ProfileResource> {
    const version = await this.streams.append(
      command.profileId,
      {
        type: 'ProfileUpserted',
        data: {
          profile_id: command.profileId,
          attributes: command.attributes,
          upserted_at: this.clock.now().toISOString(),
        },
      },
      command.metadata,
    );

    return { profile_id: command.profileId, attributes: command.attributes, version };
  }
}
