export * from './connection-generator';
export * from './demo-data.errors';
export * from './distribution-summary';
export * from './profile-generator';
export * from './profile-loader';
export { SeededRandom } from './seeded-random';
export * from './connection-loader';
