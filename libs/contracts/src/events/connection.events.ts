import { type NewEvent } from '../envelope';

/** Only `accepted` connections count for a favourite group. */
export const CONNECTION_STATUSES = ['pending', 'accepted', 'declined', 'blocked'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * Connection input: the platform that owns profiles publishes these on the connections
 * topic; the REST `PUT`/`DELETE /v3/profiles/{profile}/connections/{connected}` feeds
 * the same topic through the event store. A connection runs from `profile_id` to
 * `connected_profile_id` (a stylist to a client, a referrer to whom they referred); a
 * symmetric relation such as a household is two connections. One connection per
 * ordered pair: an upsert replaces its type and status.
 */
export type ConnectionUpserted = NewEvent<
  'ConnectionUpserted',
  {
    profile_id: string;
    connected_profile_id: string;
    type: string;
    status: ConnectionStatus;
    upserted_at: string;
  }
>;

export type ConnectionRemoved = NewEvent<
  'ConnectionRemoved',
  { profile_id: string; connected_profile_id: string; removed_at: string }
>;

export type ConnectionEvent = ConnectionUpserted | ConnectionRemoved;
