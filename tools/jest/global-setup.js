// Integration and e2e tests talk to real servers. When the runner (tools/test.mjs)
// already started them, it passes their addresses in TEST_KAFKA_BROKERS and
// TEST_MONGODB_URL; otherwise this starts a private set on free ports for this run.
// TEST_INFRA=containers uses testcontainers with the official images instead.
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');

module.exports = async function globalSetup() {
  if (process.env.TEST_KAFKA_BROKERS && process.env.TEST_MONGODB_URL) return;

  if (process.env.TEST_INFRA === 'containers') {
    const { startContainers } = require('./containers');
    globalThis.__PROFILE_GROUPS_INFRA__ = await startContainers();
  } else {
    const { ensureInstalled, startInfra } = await import('../infra/index.mjs');
    await ensureInstalled({});
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-groups-test-'));
    globalThis.__PROFILE_GROUPS_INFRA__ = await startInfra({
      dataDir,
      kafkaPort: 0,
      kafkaControllerPort: 0,
      postgresPort: 0,
      mongoPort: 0,
      fresh: true,
      durable: false,
    });
  }
  const infra = globalThis.__PROFILE_GROUPS_INFRA__;
  process.env.TEST_KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.TEST_MONGODB_URL = infra.mongoUrl;
};
