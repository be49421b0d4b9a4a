import { type JsonObject } from '@profile-groups/contracts';

/** A profile as written: its id, the attributes rules see, and its stream version. */
export interface ProfileResource {
  readonly profile_id: string;
  /** Null after a deletion. */
  readonly attributes: JsonObject | null;
  readonly version: number;
}
