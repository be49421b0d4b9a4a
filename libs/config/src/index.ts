export * from './env-config';
export * from './shared-variables';
