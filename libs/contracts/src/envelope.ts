/**
 * The stable envelope every event travels in: in the event store, on Kafka (as
 * CloudEvents headers plus a JSON data payload) and in every consumer.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  /** Unique per event; a redelivered event carries the same id. */
  readonly id: string;
  /** Wire contract: a past-tense fact such as `MemberAdded`. Never derived from a class name. */
  readonly type: TType;
  readonly schema_version: number;
  /** The stream (aggregate instance) the event belongs to, e.g. `group-definition-42`. */
  readonly stream: string;
  /** 1-based position of the event within its stream. */
  readonly stream_version: number;
  /** ISO 8601 UTC time the event was recorded. */
  readonly time: string;
  readonly correlation_id: string;
  /** Id of the event or request that caused this one; null for an unprompted event. */
  readonly causation_id: string | null;
  /** Who asked for the change, when known (a token subject or a profile id). */
  readonly actor: string | null;
  readonly data: TData;
}

/** An event as a decider produces it: the event store adds the envelope fields. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/** Request-scoped facts stamped on every event a command produces. */
export interface EventMetadata {
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly actor: string | null;
}

/** The envelope of each member of an event union, keeping `type` and `data` correlated. */
export type EnvelopeOf<E> =
  E extends NewEvent<infer TType, infer TData> ? EventEnvelope<TType, TData> : never;
