import {
  copyJson,
  isJsonValue,
  isPlainObject,
  type JsonValue,
  nonFiniteNumbers,
} from './json-value';
import { DEFAULT_RULE_LIMITS } from './limits';
import { joinPath, type RuleIssue } from './rule-issue';
import {
  ARGUMENT_NAME_RULE,
  isArgumentName,
  isPlaceholder,
  nonFiniteMessage,
  validateRule,
} from './validate-rule';

export const ARGUMENT_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'array',
  'object',
  'any',
] as const;
export type ArgumentType = (typeof ARGUMENT_TYPES)[number];

/** Stable codes of the issues validateArgumentDeclarations and resolveRule report. */
export const ARGUMENT_ISSUE_CODES = [
  'invalid_declaration',
  'invalid_name',
  'duplicate_name',
  'invalid_type',
  'invalid_default',
  'non_finite_number',
  'undeclared_argument',
  'missing_argument',
  'argument_type',
  'unknown_argument',
] as const;
export type ArgumentIssueCode = (typeof ARGUMENT_ISSUE_CODES)[number];

/** One typed parameter of a rule definition (a template with {"arg": name} placeholders). */
export interface ArgumentDeclaration {
  name: string;
  type: ArgumentType;
  required: boolean;
  default?: JsonValue;
  description?: string;
}

const DECLARATION_KEYS: ReadonlySet<string> = new Set([
  'name',
  'type',
  'required',
  'default',
  'description',
]);

// Templates are walked before they are validated; this keeps a hostile one from
// exhausting the stack. Anything this deep is refused by validateRule anyway.
const MAX_TEMPLATE_DEPTH = DEFAULT_RULE_LIMITS.maxDepth * 4;

export function isArgumentType(value: unknown): value is ArgumentType {
  return typeof value === 'string' && (ARGUMENT_TYPES as readonly string[]).includes(value);
}

/** Whether a value is a JSON value of the declared type. */
export function matchesArgumentType(value: unknown, type: ArgumentType): boolean {
  if (!isJsonValue(value)) return false;
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    case 'any':
      return true;
  }
}

/** Issues for the numbers JSON cannot hold in a value, at `path` and below. */
export function nonFiniteNumberIssues(value: unknown, path: string): RuleIssue[] {
  return nonFiniteNumbers(value, MAX_TEMPLATE_DEPTH).map((found) => ({
    path: found.path === '' ? path : joinPath(path, found.path),
    code: 'non_finite_number',
    message: nonFiniteMessage(found.value),
  }));
}

/**
 * Issues in a list of argument declarations, at paths like "0.name": not a list, a
 * declaration that is not an object or has unknown keys, a bad, reserved or duplicate
 * name, an unknown type, a non-boolean `required`, a default not of its type or holding a
 * number JSON cannot (non_finite_number).
 */
export function validateArgumentDeclarations(declarations: unknown): RuleIssue[] {
  if (!Array.isArray(declarations)) {
    return [
      { path: '', code: 'invalid_declaration', message: 'Arguments are declared in an array.' },
    ];
  }
  const issues: RuleIssue[] = [];
  const seen = new Set<string>();
  declarations.forEach((declaration: unknown, i) => {
    const at = (key?: string) => (key === undefined ? String(i) : joinPath(String(i), key));
    if (!isPlainObject(declaration)) {
      issues.push({
        path: at(),
        code: 'invalid_declaration',
        message: 'An argument declaration is an object.',
      });

      return;
    }
    for (const key of Object.keys(declaration)) {
      if (!DECLARATION_KEYS.has(key)) {
        issues.push({
          path: at(key),
          code: 'invalid_declaration',
          message: `Unknown key "${key}"; a declaration has name, type, required, default and description.`,
        });
      }
    }
    const { name, type, required, description } = declaration;
    if (!isArgumentName(name)) {
      issues.push({ path: at('name'), code: 'invalid_name', message: ARGUMENT_NAME_RULE });
    } else if (seen.has(name)) {
      issues.push({
        path: at('name'),
        code: 'duplicate_name',
        message: `The argument "${name}" is declared more than once.`,
      });
    } else {
      seen.add(name);
    }
    if (!isArgumentType(type)) {
      issues.push({
        path: at('type'),
        code: 'invalid_type',
        message: `The type is one of ${ARGUMENT_TYPES.join(', ')}.`,
      });
    }
    if (typeof required !== 'boolean') {
      issues.push({
        path: at('required'),
        code: 'invalid_declaration',
        message: 'required is true or false.',
      });
    }
    if (description !== undefined && typeof description !== 'string') {
      issues.push({
        path: at('description'),
        code: 'invalid_declaration',
        message: 'A description is a string.',
      });
    }
    if (Object.hasOwn(declaration, 'default')) {
      const fallback = declaration.default;
      const nonFinite = nonFiniteNumberIssues(fallback, at('default'));
      if (nonFinite.length > 0) {
        issues.push(...nonFinite);
      } else if (
        !isJsonValue(fallback) ||
        (isArgumentType(type) && !matchesArgumentType(fallback, type))
      ) {
        issues.push({
          path: at('default'),
          code: 'invalid_default',
          message: isArgumentType(type)
            ? `The default is not of type ${type}.`
            : 'The default is not a JSON value.',
        });
      }
    }
  });

  return issues;
}

/** The argument names a template's placeholders use, in order of first use. */
export function argumentsUsed(template: JsonValue): string[] {
  const names = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (depth > MAX_TEMPLATE_DEPTH || typeof value !== 'object' || value === null) return;
    if (isPlaceholder(value)) {
      if (typeof value.arg === 'string') names.add(value.arg);

      return;
    }
    for (const item of Array.isArray(value) ? value : Object.values(value)) walk(item, depth + 1);
  };
  walk(template, 0);

  return [...names];
}

export interface ResolvedRule {
  rule: JsonValue;
  issues: RuleIssue[];
}

/**
 * A template with each {"arg": name} replaced by values[name] ?? the declaration's
 * default (null for an optional argument with neither). Issues: a placeholder naming an
 * undeclared argument (at its path in the template), and, at the argument's name, a
 * required argument without a value, a value not of its type, a value for an undeclared
 * argument. A placeholder that could not be resolved stays in place, so the resolved
 * rule, validated like any rule, adds an unresolved_argument issue there.
 */
export function resolveRule(
  template: JsonValue,
  declarations: ArgumentDeclaration[],
  values: Record<string, JsonValue>,
): ResolvedRule {
  const issues: RuleIssue[] = [];
  const declared = new Map<string, ArgumentDeclaration>();
  for (const declaration of declarations) {
    if (!declared.has(declaration.name)) declared.set(declaration.name, declaration);
  }
  for (const name of Object.keys(values)) {
    if (!declared.has(name)) {
      issues.push({
        path: name,
        code: 'unknown_argument',
        message: `There is no argument "${name}".`,
      });
    }
  }
  const resolved = new Map<string, JsonValue>();
  for (const [name, declaration] of declared) {
    const given = Object.hasOwn(values, name) ? values[name] : undefined;
    const value = given ?? declaration.default;
    const nonFinite = nonFiniteNumberIssues(value, name);
    if (value === undefined || value === null) {
      if (declaration.required && value === undefined) {
        issues.push({
          path: name,
          code: 'missing_argument',
          message: `The argument "${name}" is required.`,
        });
      } else {
        resolved.set(name, null);
      }
    } else if (nonFinite.length > 0) {
      issues.push(...nonFinite);
    } else if (!matchesArgumentType(value, declaration.type)) {
      issues.push({
        path: name,
        code: 'argument_type',
        message: `The argument "${name}" must be of type ${declaration.type}.`,
      });
    } else {
      resolved.set(name, value);
    }
  }

  const substitute = (value: JsonValue, path: string, depth: number): JsonValue => {
    if (depth > MAX_TEMPLATE_DEPTH || typeof value !== 'object' || value === null) return value;
    if (isPlaceholder(value)) {
      const name = value.arg;
      if (typeof name !== 'string' || !declared.has(name)) {
        issues.push({
          path: joinPath(path, 'arg'),
          code: 'undeclared_argument',
          message: `The placeholder names an undeclared argument${typeof name === 'string' ? ` "${name}"` : ''}.`,
        });

        return value;
      }

      return resolved.has(name) ? copyJson(resolved.get(name) as JsonValue) : value;
    }
    if (Array.isArray(value)) {
      return value.map((item, i) => substitute(item, joinPath(path, i), depth + 1));
    }
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty keeps a "__proto__" key an own property, as in the template.
      Object.defineProperty(copy, key, {
        value: substitute(item, joinPath(path, key), depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }

    return copy;
  };
  const rule = substitute(template, '', 0);
  issues.push(...validateRule(rule));

  return { rule, issues };
}

// Issues of a resolution that only say some argument has no value yet.
const NO_VALUE_CODES: ReadonlySet<string> = new Set(['missing_argument', 'unresolved_argument']);

/**
 * Defaults that can never resolve: a default of the right type that, put into the
 * template, makes it an invalid rule (an object default read as an unknown operation, a
 * string default that is an unsafe path, `{}`), reported as invalid_default at the
 * declaration ("1.default"). Each default is tried alone, against the template resolved
 * with no value at all, so problems that other arguments' values decide are not blamed
 * on it. For declarations that validateArgumentDeclarations accepts.
 */
export function validateDefaults(
  template: JsonValue,
  declarations: readonly ArgumentDeclaration[],
): RuleIssue[] {
  const bare = declarations.map(({ name, type, required }) => ({ name, type, required }));
  const problems = (values: Record<string, JsonValue>) =>
    resolveRule(template, bare, values).issues.filter((issue) => !NO_VALUE_CODES.has(issue.code));
  const baseline = new Set(problems({}).map((issue) => `${issue.code}@${issue.path}`));
  const issues: RuleIssue[] = [];
  declarations.forEach((declaration, i) => {
    if (declaration.default === undefined) return;
    const values: Record<string, JsonValue> = {};
    Object.defineProperty(values, declaration.name, {
      value: declaration.default,
      enumerable: true,
    });
    const caused = problems(values).find((issue) => !baseline.has(`${issue.code}@${issue.path}`));
    if (caused === undefined) return;
    issues.push({
      path: `${i}.default`,
      code: 'invalid_default',
      message: `With this default the rule is invalid${caused.path === '' ? '' : ` at ${caused.path}`}: ${caused.message}`,
    });
  });

  return issues;
}
