export * from './profile-store';
export * from './snapshot-archive';
