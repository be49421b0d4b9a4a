/**
 * Typed configuration parsed once from the environment at boot. Each variable has a
 * parser, a default (or none: required), a description for the docs and a
 * `secret` flag that keeps its value out of messages.
 */
export interface VariableSpec<T> {
  readonly description: string;
  readonly default?: T;
  readonly secret?: boolean;
  /** Returns the parsed value or throws an Error whose message says what is expected. */
  readonly parse: (raw: string) => T;
}

export type ConfigSpec = Record<string, VariableSpec<unknown>>;
export type ConfigOf<S extends ConfigSpec> = {
  readonly [K in keyof S]: S[K] extends VariableSpec<infer T> ? T : never;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses every variable and fails listing every bad or missing value at once. */
export function parseConfig<S extends ConfigSpec>(
  spec: S,
  env: Record<string, string | undefined> = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if ('default' in variable) {
        result[name] = variable.default;
      } else {
        problems.push(`${name} is required: ${variable.description}`);
      }
      continue;
    }
    try {
      result[name] = variable.parse(raw);
    } catch (error) {
      const shown = variable.secret ? '(secret value hidden)' : JSON.stringify(raw);
      problems.push(`${name}=${shown}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return result as ConfigOf<S>;
}

export function str(
  options: Omit<VariableSpec<string>, 'parse'> & { pattern?: RegExp },
): VariableSpec<string> {
  return {
    ...options,
    parse: (raw) => {
      if (options.pattern && !options.pattern.test(raw)) {
        throw new Error(`expected a value matching ${String(options.pattern)}`);
      }

      return raw;
    },
  };
}

export function int(
  options: Omit<VariableSpec<number>, 'parse'> & { min?: number; max?: number },
): VariableSpec<number> {
  return {
    ...options,
    parse: (raw) => {
      const value = Number(raw);
      const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
      if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
        throw new Error(`expected a whole number from ${min} to ${max}`);
      }

      return value;
    },
  };
}

export function bool(options: Omit<VariableSpec<boolean>, 'parse'>): VariableSpec<boolean> {
  return {
    ...options,
    parse: (raw) => {
      const value = raw.trim().toLowerCase();
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      throw new Error('expected true or false');
    },
  };
}

export function oneOf<T extends string>(
  values: readonly T[],
  options: Omit<VariableSpec<T>, 'parse'>,
): VariableSpec<T> {
  return {
    ...options,
    parse: (raw) => {
      if (!(values as readonly string[]).includes(raw)) {
        throw new Error(`expected one of ${values.join(', ')}`);
      }

      return raw as T;
    },
  };
}

export function list(options: Omit<VariableSpec<string[]>, 'parse'>): VariableSpec<string[]> {
  return {
    ...options,
    parse: (raw) => {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (items.length === 0) throw new Error('expected a comma-separated list');

      return items;
    },
  };
}
