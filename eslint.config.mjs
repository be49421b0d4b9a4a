import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// Allowed dependency edges between project types. Domain code stays pure: it sees
// contracts and other domain code only, never infrastructure or an app.
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:infra', 'type:util'],
  },
  {
    sourceTag: 'type:infra',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:infra', 'type:util'],
  },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  {
    sourceTag: 'type:testing',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:infra', 'type:util'],
  },
  // A downstream example sees only what an external consumer has: the wire format and
  // the published schemas in docs/events, no library of this repository.
  { sourceTag: 'type:example', onlyDependOnLibsWithTags: [] },
  {
    sourceTag: 'type:tooling',
    onlyDependOnLibsWithTags: [
      'type:domain',
      'type:contracts',
      'type:infra',
      'type:util',
      'type:testing',
    ],
  },
];

// Tests may also use the shared test helpers; an example's tests build the records they
// feed it with the contracts library, as the service does.
const testDepConstraints = depConstraints.map((c) => ({
  ...c,
  onlyDependOnLibsWithTags: [
    ...c.onlyDependOnLibsWithTags,
    'type:testing',
    ...(c.sourceTag === 'type:example' ? ['type:contracts'] : []),
  ],
}));
const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'apps/*/test/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.nx/**',
      '.local/**',
      'coverage/**',
      '**/*.mjs',
      '**/*.cjs',
      '**/*.js',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    // Nest reads constructor parameter types at runtime (emitDecoratorMetadata), so a
    // class used only as an injected type must stay a value import.
    files: [
      'apps/**/*.ts',
      'libs/**/*.module.ts',
      'libs/**/*.controller.ts',
      'libs/**/*.service.ts',
      'libs/messaging/**/*.ts',
      'libs/event-store/**/*.ts',
      'libs/read-models/**/*.ts',
    ],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Tests read untyped JSON bodies; asserting on them is the point.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'libs/testing/**/*.ts',
      'apps/*/test/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'tools/**/*.ts', 'examples/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
