import { objectSchema, profileId, timestamp } from './common';

export const profileUpsertedSchema = objectSchema('ProfileUpserted', {
  profile_id: profileId,
  attributes: { type: 'object' },
  upserted_at: timestamp,
});

export const profileDeletedSchema = objectSchema('ProfileDeleted', {
  profile_id: profileId,
  deleted_at: timestamp,
});
