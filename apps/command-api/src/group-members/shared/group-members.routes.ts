import { GROUP_DEFINITIONS_PATH } from '../../group-definitions/shared/group-definition.routes';

export const GROUP_MEMBERS_PATH = `${GROUP_DEFINITIONS_PATH}/:group/profiles`;
export const GROUP_MEMBERS_TAG = 'group members';
