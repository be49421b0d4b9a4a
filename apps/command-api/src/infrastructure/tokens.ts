/** Injection token of the parsed CommandApiConfig. */
export const COMMAND_API_CONFIG = Symbol('COMMAND_API_CONFIG');
