import { build, ensureDependencies, say } from './lib.mjs';

ensureDependencies();
await build();
say('built dist/apps/{command-api,evaluation-worker,projection-service}/src/main.js');
