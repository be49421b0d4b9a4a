/** Injection token of the parsed CommandApiConfig. */
export const COMMAND_API_CONFIG = Symbol('COMMAND_API_CONFIG');

/** The HandleRegistry of group handles, and the one of rule definition handles. */
export const GROUP_HANDLES = Symbol('GROUP_HANDLES');
export const RULE_DEFINITION_HANDLES = Symbol('RULE_DEFINITION_HANDLES');

/** The HandleRegistry of favourite instances, one per (favourite definition, owner). */
export const FAVOURITE_INSTANCES = Symbol('FAVOURITE_INSTANCES');
