// A require hook for running TypeScript directly: `node -r ./tools/register.cjs file.ts`.
// Files are compiled with @swc/core using the very options the Jest transform uses, and
// the @profile-groups/* aliases of tsconfig.base.json resolve to their sources.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));

const [, swcOptions] = require('./jest/config').projectConfig(root, 'unit').transform['^.+\\.ts$'];

const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    alias,
    path.join(root, compilerOptions.baseUrl ?? '.', target),
  ]),
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, filename });
  module._compile(code, filename);
};

// Stack traces point into the TypeScript sources (the maps are inline).
process.setSourceMapsEnabled(true);
