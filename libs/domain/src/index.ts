export * from './group-definition/group-definition.decide';
export * from './group-definition/group-definition.state';
export * from './membership/membership.decide';
export * from './membership/membership.state';
export * from './shared/deep-equal';
export * from './shared/domain-error';
export * from './shared/period';
