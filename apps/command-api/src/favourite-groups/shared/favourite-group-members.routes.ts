import { FAVOURITE_GROUPS_PATH } from './favourite-groups.routes';

export const FAVOURITE_GROUP_MEMBERS_PATH = `${FAVOURITE_GROUPS_PATH}/:group/profiles`;
