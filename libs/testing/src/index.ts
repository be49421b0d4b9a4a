export * from './test-infra';
export * from './app-process';
