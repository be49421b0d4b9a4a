import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../../infrastructure/clock';
import { type ProfileResource } from '../shared/profile.resource';
import { ProfileStreams } from '../shared/profile-streams';
import { DeleteProfileCommand } from './delete-profile.command';

/**
 * Records that a profile was deleted; the worker then removes it from every group.
 * Profiles may come from upstream producers that bypass the event store, so one this
 * store has never seen is deleted all the same.
 */
@CommandHandler(DeleteProfileCommand)
export class DeleteProfileHandler implements ICommandHandler<DeleteProfileCommand> {
  constructor(
    private readonly streams: ProfileStreams,
    private readonly clock: Clock,
  ) {}

  async execute(command: DeleteProfileCommand): Promise<ProfileResource> {
    const version = await this.streams.append(
      command.profileId,
      {
        type: 'ProfileDeleted',
        data: { profile_id: command.profileId, deleted_at: this.clock.now().toISOString() },
      },
      command.metadata,
    );

    return { profile_id: command.profileId, attributes: null, version };
  }
}
