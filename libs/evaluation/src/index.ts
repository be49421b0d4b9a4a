export * from './connection-store';
export * from './profile-store';
export * from './snapshot-archive';
export * from './evaluation-pacer';
