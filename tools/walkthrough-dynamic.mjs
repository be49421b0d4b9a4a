// Issue 3's done-when walk-through at full size, on throw-away local infrastructure:
// N generated profiles on Kafka, a dynamic group from a rule definition refreshed and
// compared with an independent json-logic-js pass, one profile moved, explain, and the
// snapshots of both runs. `npm test` runs the same test with 3,000 profiles.
//
//   npm run walkthrough:dynamic -- --profiles 100000
import { build, ensureDependencies, run, say, startTestInfra } from './lib.mjs';

const index = process.argv.indexOf('--profiles');
const profiles = index < 0 ? '100000' : process.argv[index + 1];
if (!/^[1-9][0-9]*$/.test(profiles ?? '')) {
  say('usage: npm run walkthrough:dynamic -- --profiles <count>');
  process.exit(2);
}

ensureDependencies();
await build();
const infra = await startTestInfra();
let code = 1;
try {
  say(`walk-through with ${profiles} profiles`);
  const startedAt = Date.now();
  code = await run(
    'node_modules/.bin/jest',
    ['-c', 'apps/command-api/jest.e2e.config.js', '--runInBand', 'dynamic-groups'],
    {
      env: {
        TEST_KAFKA_BROKERS: infra.kafkaBrokers,
        TEST_MONGODB_URL: infra.mongoUrl,
        DYNAMIC_E2E_PROFILES: profiles,
        // The full size needs far longer than a test's default budget.
        DYNAMIC_E2E_TIMEOUT_MS: '3600000',
      },
    },
  );
  say(
    `walk-through ${code === 0 ? 'passed' : 'failed'} in ${Math.round((Date.now() - startedAt) / 1000)} s`,
  );
} finally {
  await infra.stop();
}
process.exit(code);
