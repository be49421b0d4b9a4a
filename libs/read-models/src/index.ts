export * from './json-fields';
export * from './projections';
export * from './read-model-queries';
export * from './read-model-writer';
export * from './rebuild';
export * from './replace';
export * from './views';
