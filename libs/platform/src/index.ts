export * from './nest-logger';
export * from './platform';
