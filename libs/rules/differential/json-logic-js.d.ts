// json-logic-js ships no types; these cover what the tests and the benchmark call.
declare module 'json-logic-js' {
  export function apply(logic: unknown, data?: unknown): unknown;
  export function truthy(value: unknown): boolean;
  export function add_operation(name: string, operation: (...args: never[]) => unknown): void;
}
