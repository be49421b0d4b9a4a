import { CONNECTION_STATUSES } from '../events/connection.events';
import { objectSchema, profileId, timestamp } from './common';

/** A connection type, the way a favourite definition names it in `source_type`. */
export const connectionType = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } as const;

export const connectionUpsertedSchema = objectSchema('ConnectionUpserted', {
  profile_id: profileId,
  connected_profile_id: profileId,
  type: connectionType,
  status: { enum: [...CONNECTION_STATUSES] },
  upserted_at: timestamp,
});

export const connectionRemovedSchema = objectSchema('ConnectionRemoved', {
  profile_id: profileId,
  connected_profile_id: profileId,
  removed_at: timestamp,
});
