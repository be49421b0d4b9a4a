import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';

import { type Logger } from '@profile-groups/observability';

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
}

/** A kafkajs client whose own log lines go through our structured logger. */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const kafkaLogger = logger.child('kafkajs');

  return new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    logLevel: KafkaLogLevel.WARN,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, timestamp: _t, logger: _l, ...fields } = log;
        const entry = { kafkajs_message: message, ...fields };
        if (level === KafkaLogLevel.ERROR) kafkaLogger.warn('kafka.client_error', entry);
        else if (level === KafkaLogLevel.WARN) kafkaLogger.warn('kafka.client_warning', entry);
        else kafkaLogger.debug('kafka.client_debug', entry);
      },
  });
}

/** Creates missing topics; existing ones are left as they are. */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  partitions: number,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: -1,
        })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
