export * from './nest-logger';
export * from './platform';
export * from './run-app';
