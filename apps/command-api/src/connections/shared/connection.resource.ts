import { type ConnectionStatus } from '@profile-groups/contracts';

/** A connection as written, and the version of its owner's connection stream after it. */
export interface ConnectionResource {
  readonly profile_id: string;
  readonly connected_profile_id: string;
  /** Null after a removal. */
  readonly type: string | null;
  readonly status: ConnectionStatus | null;
  readonly version: number;
}
