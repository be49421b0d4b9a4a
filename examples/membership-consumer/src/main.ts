// A downstream consumer of profile-groups membership events (see ../README.md).
//   npm run example:membership-consumer
// Environment: KAFKA_BROKERS (127.0.0.1:9092), KAFKA_TOPIC_PREFIX (profile-groups.),
// CONSUMER_GROUP_ID (membership-consumer-example), TABLE_FILE
// (.local/membership-consumer/<group id>.json), SCHEMAS_DIR (the repository's docs/events).
import path from 'node:path';

import { MembershipConsumer } from './membership-consumer';
import { currentMembers } from './membership-table';
import { DEFAULT_SCHEMAS_DIR, PublishedSchemas } from './published-schemas';

const env = process.env;
const groupId = env.CONSUMER_GROUP_ID || 'membership-consumer-example';
const tableFile = env.TABLE_FILE || path.join('.local', 'membership-consumer', `${groupId}.json`);
const log = (message: string, fields: Record<string, unknown>) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), msg: message, ...fields }));

const consumer = new MembershipConsumer({
  brokers: (env.KAFKA_BROKERS || '127.0.0.1:9092').split(','),
  topic: `${env.KAFKA_TOPIC_PREFIX ?? 'profile-groups.'}memberships`,
  groupId,
  tableFile,
  schemas: PublishedSchemas.load(env.SCHEMAS_DIR || DEFAULT_SCHEMAS_DIR),
  log,
});

async function shutDown(): Promise<void> {
  await consumer.stop();
  const groups = new Set(Object.values(consumer.current.rows).map((r) => r.group_definition_id));
  for (const group of [...groups].sort((a, b) => a - b)) {
    log('table.group', {
      group_definition_id: group,
      current_members: currentMembers(consumer.current, group, new Date()).length,
    });
  }
  log('consumer.stopped', { table_file: tableFile, ...consumer.stats });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    shutDown().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

consumer.start().then(
  () => log('consumer.started', { group_id: groupId, table_file: tableFile }),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
