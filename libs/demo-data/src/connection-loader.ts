import { randomUUID } from 'node:crypto';

import {
  checkEventData,
  connectionInputProblem,
  connectionStream,
  type ConnectionUpserted,
  EVENT_CATALOGUE,
  type EnvelopeOf,
} from '@profile-groups/contracts';
import { type Kafka } from 'kafkajs';

import { type DemoConnection } from './connection-generator';
import { DemoDataError } from './demo-data.errors';
import {
  publishInBatches,
  type PublishProfilesOptions,
  type PublishProfilesResult,
} from './profile-loader';

/**
 * Publishes each connection as `ConnectionUpserted` on `<topicPrefix>connections`, keyed
 * by the stream of the profile it runs from, the way the platform that owns connections
 * does. Each is checked first as the evaluation worker checks it; one it would
 * dead-letter stops the load with `demo_data.invalid_connection`.
 */
export async function publishConnections(
  kafka: Kafka,
  topicPrefix: string,
  connections: Iterable<DemoConnection>,
  options: PublishProfilesOptions = {},
): Promise<PublishProfilesResult> {
  const at = options.at ?? new Date();
  const correlationId = options.correlationId ?? randomUUID();
  function* events() {
    for (const connection of connections) {
      yield connectionUpsertedEvent(connection, at, correlationId);
    }
  }
  const published = await publishInBatches(kafka, topicPrefix, events(), options);

  return { published, correlationId };
}

/** The `ConnectionUpserted` envelope of one connection; throws if the worker would refuse it. */
export function connectionUpsertedEvent(
  connection: DemoConnection,
  at: Date,
  correlationId: string,
): EnvelopeOf<ConnectionUpserted> {
  const event: EnvelopeOf<ConnectionUpserted> = {
    id: randomUUID(),
    type: 'ConnectionUpserted',
    schema_version: EVENT_CATALOGUE.ConnectionUpserted.schemaVersion,
    stream: connectionStream(connection.profile_id),
    stream_version: 1,
    time: at.toISOString(),
    correlation_id: correlationId,
    causation_id: null,
    actor: 'demo-data',
    data: { ...connection, upserted_at: at.toISOString() },
  };
  const check = checkEventData(event.type, event.schema_version, event.data);
  const problem = check.ok
    ? connectionInputProblem(connection.profile_id, connection.connected_profile_id)
    : check.reason;
  if (problem !== null) {
    throw new DemoDataError(
      'demo_data.invalid_connection',
      `connection ${connection.profile_id} -> ${connection.connected_profile_id} would be dead-lettered: ${problem}`,
    );
  }

  return event;
}
