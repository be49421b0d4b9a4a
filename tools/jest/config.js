// Shared Jest configuration. A project's jest.config.js calls projectConfig with its
// folder and the kind of test it runs; the kind decides the file pattern:
//   unit        *.spec.ts      pure code, no servers
//   integration *.int-spec.ts  real Kafka and MongoDB-compatible servers
//   e2e         *.e2e-spec.ts  the apps wired together over the real servers
const path = require('node:path');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = path.resolve(__dirname, '../..');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(root, target),
  ]),
);

const patterns = {
  unit: '**/*.spec.ts',
  integration: '**/*.int-spec.ts',
  e2e: '**/*.e2e-spec.ts',
};

function projectConfig(projectDir, kind = 'unit') {
  const servers = kind !== 'unit';

  return {
    displayName: `${path.relative(root, projectDir)} (${kind})`,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: [`<rootDir>/${patterns[kind]}`],
    transform: {
      '^.+\\.ts$': ['@swc/jest', { swcrc: false, ...swcOptions() }],
    },
    moduleNameMapper,
    setupFiles: [path.join(__dirname, 'setup-env.js')],
    reporters: ['default', path.join(__dirname, 'summary-reporter.js')],
    ...(servers
      ? {
          globalSetup: path.join(__dirname, 'global-setup.js'),
          globalTeardown: path.join(__dirname, 'global-teardown.js'),
          testTimeout: 120_000,
        }
      : { testTimeout: 10_000 }),
  };
}

function swcOptions() {
  return {
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  };
}

module.exports = { projectConfig };
