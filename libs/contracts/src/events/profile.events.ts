import { type NewEvent } from '../envelope';
import { type JsonObject } from './group-definition.events';

/**
 * Profile input. The platform that owns profiles publishes these on the profiles topic
 * (keyed by the stream id `profile-<id>`, as every event is); the REST upsert feeds the same topic through the event store.
 * `attributes` is the data rules see.
 */
export type ProfileUpserted = NewEvent<
  'ProfileUpserted',
  { profile_id: string; attributes: JsonObject; upserted_at: string }
>;

export type ProfileDeleted = NewEvent<'ProfileDeleted', { profile_id: string; deleted_at: string }>;

export type ProfileEvent = ProfileUpserted | ProfileDeleted;
