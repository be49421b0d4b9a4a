import { topicName } from '@profile-groups/contracts';
import { type EventPublisher, type EventStore } from '@profile-groups/event-store';
import { ensureTopics, KafkaEventPublisher } from '@profile-groups/messaging';
import { type Kafka } from 'kafkajs';

export interface MembershipReplayProgress {
  readonly pairs: number;
  readonly events: number;
  readonly refused: number;
}

const CHUNK_EVENTS = 5_000;
/** The relay's `ce_source`, so that replayed records are the ones the relay sent. */
export const RELAY_SOURCE = '/profile-groups/projection-service';

/**
 * Publishes every membership event ever stored, from the event store, on
 * `<topicPrefix>memberships`: the history a new downstream consumer needs when the
 * live topic no longer holds it (Kafka keeps 7 days by default). The records are the
 * relay's own (same ids, headers and keys), so each pair's events stay in order on
 * one partition and a consumer that already has some of them drops them as
 * duplicates. Resolves with the totals; an event the broker refuses is counted, not
 * retried (the relay has dead-lettered it already).
 */
export async function replayMemberships(
  store: EventStore,
  publisher: EventPublisher,
  onProgress: (progress: MembershipReplayProgress) => void = () => undefined,
): Promise<MembershipReplayProgress> {
  let pending: Parameters<EventPublisher['publish']>[0][number][] = [];
  const totals = { pairs: 0, events: 0, refused: 0 };
  const flush = async () => {
    if (pending.length === 0) return;
    const { refused } = await publisher.publish(pending);
    totals.events += pending.length - refused.length;
    totals.refused += refused.length;
    pending = [];
    onProgress({ ...totals });
  };
  for await (const pair of store.readAllStreams('group-member')) {
    pending.push(...pair.events);
    totals.pairs++;
    if (pending.length >= CHUNK_EVENTS) await flush();
  }
  await flush();

  return totals;
}

/** A publisher onto `<topicPrefix>memberships`, the topic made first if it is missing. */
export async function replayPublisher(
  kafka: Kafka,
  topicPrefix: string,
  partitions: number,
  maxRequestBytes: number,
): Promise<KafkaEventPublisher> {
  await ensureTopics(kafka, [topicName(topicPrefix, 'memberships')], partitions);
  const publisher = new KafkaEventPublisher(kafka, topicPrefix, RELAY_SOURCE, { maxRequestBytes });
  await publisher.connect();

  return publisher;
}
