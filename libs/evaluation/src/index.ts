export * from './connection-store';
export * from './profile-store';
export * from './snapshot-archive';
