export * from './test-infra';
export * from './app-process';
export * from './documented-variables';
export * from './fixtures';
export * from './profiles';
