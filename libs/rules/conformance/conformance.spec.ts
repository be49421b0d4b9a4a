import * as fs from 'node:fs';
import * as path from 'node:path';

import { compileRule } from '../src/compile-rule';
import { compileUnchecked } from '../src/json-logic-rule';
import { type RuleIssueCode } from '../src/rule-issue';
import { validateRule } from '../src/validate-rule';
import { type Outcome, outcomeOf, reference, sameOutcome } from '../differential/reference';

// The community's JSONLogic suites (json-logic/compat-tables), kept outside the repository.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SUITES = path.resolve(REPO_ROOT, '..', 'shared', 'conformance', 'jsonlogic');

interface Case {
  description: string;
  rule: unknown;
  data?: unknown;
  result?: unknown;
  error?: unknown;
}

// Where the newer specification and json-logic-js disagree, json-logic-js decides (DESIGN.md:
// "the same result as json-logic-js for every rule the classic specification covers").
// Three tables, by suite file and case description:
//  - KEPT: our result is json-logic-js's, not the one the file expects;
//  - REFUSED: the validator refuses the rule (issue code), where the file expects a value;
//    compiled anyway, it still gives json-logic-js's result;
//  - UNKNOWN_OPERATORS: the rule uses an operator of the newer specification (val, exists,
//    ??, try, throw, preserve), which the validator refuses as unknown_operator.

const NAN =
  'json-logic-js returns NaN (or Infinity) from arithmetic on non-numbers; the specification throws';
const PARSE_FLOAT =
  'json-logic-js runs + and * through parseFloat, so true, false, null and "" are NaN; the specification converts like Number()';
const ARRAY_AS_NUMBER =
  'JavaScript arithmetic reads [1] as 1 (through its string form); the specification throws';
const LONE_FACTOR = 'json-logic-js returns the only operand of * as it is, unconverted';
const NULL_EQUALS = 'json-logic-js uses JavaScript ==, where null == 0 is false';
const JS_COMPARISON =
  'json-logic-js compares with JavaScript operators (a non-numeric string is NaN, arrays compare as strings); the specification throws';
const SHORTHAND =
  'json-logic-js reads a non-array argument as a list of one, for every operator; the specification throws for if/and/or';
const NULL_LOGIC =
  'json-logic-js applies a null per-item rule, which gives null for every item; the specification throws';
const MISSING_ARRAY =
  'json-logic-js takes anything but an array as an empty list; the specification throws';
const REDUCE_SEED =
  'json-logic-js starts reduce from null when no initial value is given, so null + 1 is NaN';
const CAT_ARRAY =
  'json-logic-js joins an array given to cat as String(array), with commas; the specification flattens it';
const EXTRA_OPERANDS =
  'json-logic-js reads only the first two operands and drops the rest without a word; the validator refuses them';
const NO_OPERANDS =
  'without operands json-logic-js returns undefined, or throws for *; the validator asks for at least one';
const LONE_DIVISOR =
  'json-logic-js divides by undefined (NaN) when / has one operand; the validator asks for two';
const EMPTY_OBJECT =
  'json-logic-js returns an object that is not an operation as it is, truthy; an emptied rule would match everyone, so the validator refuses it';

const KEPT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'arithmetic/plus.json': {
    'Addition with Booleans': PARSE_FLOAT,
    'Addition with Multiple Value Types': PARSE_FLOAT,
    'Plus Operator with Single Operand, Direct (true)': PARSE_FLOAT,
    'Plus Operator with Single Operand, Direct (false)': PARSE_FLOAT,
    'Plus Operator with Single Operand, Direct (Empty String)': PARSE_FLOAT,
    'Plus Operator with a Single Operand, Direct (null)': PARSE_FLOAT,
    'Addition with string produces NaN': NAN,
    'Addition with Array produces NaN': ARRAY_AS_NUMBER,
    'Plus Operator with Single Operand, Invalid String Produces NaN': NAN,
    'Plus Operator with Single Operand, Array Input Produces NaN': ARRAY_AS_NUMBER,
  },
  'arithmetic/multiply.json': {
    'Multiply with Booleans': PARSE_FLOAT,
    'Multiply with Multiple Value Types': PARSE_FLOAT,
    'Multiply with Multiple Value Types (3)': PARSE_FLOAT,
    'Multiply Operator with Single Operand (String)': LONE_FACTOR,
    'Multiply Operator with Single Operand, Direct (Negative Number String)': LONE_FACTOR,
    'Multiply Operator with Single Operand, Direct (String 0)': LONE_FACTOR,
    'Multiply Operator with Single Operand, Direct (true)': LONE_FACTOR,
    'Multiply Operator with Single Operand, Direct (false)': LONE_FACTOR,
    'Multiply Operator with Single Operand, Direct (Empty String)': LONE_FACTOR,
    'Multiply Operator with a Single Operand, Direct (null)': LONE_FACTOR,
    'Multiply with string produces NaN': NAN,
    'Multiply with a single string produces NaN': LONE_FACTOR,
    'Multiply with Array produces NaN': ARRAY_AS_NUMBER,
  },
  'arithmetic/minus.json': {
    'Subtraction with string produces NaN': NAN,
    'Subtraction with Array produces NaN': ARRAY_AS_NUMBER,
  },
  'arithmetic/divide.json': {
    'Divide by Zero': NAN,
    'Divide with String produces NaN': NAN,
    'Divide with Array produces NaN': ARRAY_AS_NUMBER,
    'Any division by zero should return NaN': NAN,
  },
  'arithmetic/modulo.json': {
    'Modulo with string produces NaN': NAN,
    'Modulo with array produces NaN': ARRAY_AS_NUMBER,
  },
  'comparison/greaterThan.json': {
    '> with (2023n, 2024-01-01s)': JS_COMPARISON,
    '> with (1n, As)': JS_COMPARISON,
    '> with [] and [1]': JS_COMPARISON,
    '> with [1] and 5': JS_COMPARISON,
  },
  'comparison/greaterThanEquals.json': {
    '>= with (1n, As)': JS_COMPARISON,
    '>= with [] and [1]': JS_COMPARISON,
    '>= with [1] and 5': JS_COMPARISON,
  },
  'comparison/lessThan.json': {
    '< with (2023n, 2024-01-01s)': JS_COMPARISON,
    '< with (1n, As)': JS_COMPARISON,
    '< with [] and [1]': JS_COMPARISON,
    '< with [1] and 5': JS_COMPARISON,
  },
  'comparison/lessThanEquals.json': {
    '<= with (2023n, 2024-01-01s)': JS_COMPARISON,
    '<= with (1n, As)': JS_COMPARISON,
    '<= with [] and [1]': JS_COMPARISON,
    '<= with [1] and 5': JS_COMPARISON,
  },
  'comparison/softEquals.json': {
    '== with (2023n, 2024-01-01s)': JS_COMPARISON,
    '== with (1n, As)': JS_COMPARISON,
    '== with (null, 0)': NULL_EQUALS,
    '== with [] and [1]': JS_COMPARISON,
    '== with [1] and 5': JS_COMPARISON,
  },
  'comparison/softNotEquals.json': {
    '!= with (2023n, 2024-01-01s)': JS_COMPARISON,
    '!= with (1n, As)': JS_COMPARISON,
    '!= with (null, 0)': NULL_EQUALS,
    '!= with [] and [1]': JS_COMPARISON,
    '!= with [1] and 5': JS_COMPARISON,
  },
  'control/and.json': {
    'And with non-array arguments should throw': SHORTHAND,
  },
  'control/if.json': {
    'If with non-array arguments throws': SHORTHAND,
  },
  'control/or.json': {
    'OR with non-array arguments should throw': SHORTHAND,
  },
  'array/map.json': {
    'Map with null mapper should throw': NULL_LOGIC,
  },
  'array/filter.json': {
    'Filter with null predicate should throw': NULL_LOGIC,
  },
  'array/reduce.json': {
    'Initial value is optional': REDUCE_SEED,
  },
  'array/all.json': {
    'Missing array returns error': MISSING_ARRAY,
  },
  'array/some.json': {
    'Missing array returns error': MISSING_ARRAY,
  },
  'array/none.json': {
    'Missing array returns error': MISSING_ARRAY,
  },
  'chained.json': {
    'Cat with Logic Chaining': CAT_ARRAY,
  },
  'iterators.extra.json': {
    'if with static non-array argument throws': SHORTHAND,
    'or with static non-array argument throws': SHORTHAND,
    'and with static non-array argument throws': SHORTHAND,
  },
};

const REFUSED: Readonly<
  Record<string, Readonly<Record<string, readonly [RuleIssueCode, string]>>>
> = {
  'arithmetic/plus.json': {
    'Plus Operator with zero operands is zero': ['arity', NO_OPERANDS],
  },
  'arithmetic/multiply.json': {
    'Multiply with zero operands is 1 (Product)': ['arity', NO_OPERANDS],
  },
  'arithmetic/minus.json': {
    'Subtraction with Multiple Operands': ['arity', EXTRA_OPERANDS],
    'Subtraction with Negative Numbers': ['arity', EXTRA_OPERANDS],
    'Subtraction with Strings': ['arity', EXTRA_OPERANDS],
    'Subtraction with Booleans': ['arity', EXTRA_OPERANDS],
    'Subtraction with Multiple Value Types': ['arity', EXTRA_OPERANDS],
  },
  'arithmetic/divide.json': {
    'Divide with Multiple Operands': ['arity', EXTRA_OPERANDS],
    'Divide with Multiple Operands (2)': ['arity', EXTRA_OPERANDS],
    'Divide with Strings': ['arity', EXTRA_OPERANDS],
    'Divide with Multiple Value Types': ['arity', EXTRA_OPERANDS],
    'Divide with Single Operand (Number)': ['arity', LONE_DIVISOR],
    'Divide with Single Operand, Direct (Number)': ['arity', LONE_DIVISOR],
    'Divide Operator with Single Operand (Number)': ['arity', LONE_DIVISOR],
    'Divide Operator with Single Operand (Negative Number)': ['arity', LONE_DIVISOR],
    'Divide Operator with Single Operand, Direct (Number)': ['arity', LONE_DIVISOR],
    'Divide Operator with Single Operand, Direct (2)': ['arity', LONE_DIVISOR],
    'Divide Operator with Single Operand (String)': ['arity', LONE_DIVISOR],
    'Divide Operator with Single Operand, Direct (Negative Number String)': ['arity', LONE_DIVISOR],
    'Divide Operator with Single Operand, Direct (true)': ['arity', LONE_DIVISOR],
  },
  'arithmetic/modulo.json': {
    'Modulo with Multiple Operands': ['arity', EXTRA_OPERANDS],
    'Modulo with Multiple Operands (2)': ['arity', EXTRA_OPERANDS],
    'Modulo with Multiple Value Types': ['arity', EXTRA_OPERANDS],
  },
  'comparison/greaterThan.json': {
    '> with 3 arguments': ['arity', EXTRA_OPERANDS],
    '> with 3 arguments failing': ['arity', EXTRA_OPERANDS],
  },
  'comparison/greaterThanEquals.json': {
    '>= with 3 arguments': ['arity', EXTRA_OPERANDS],
    '>= with 3 arguments failing': ['arity', EXTRA_OPERANDS],
  },
  'comparison/softEquals.json': {
    '== with 3 arguments': ['arity', EXTRA_OPERANDS],
    '== with 3 arguments failing': ['arity', EXTRA_OPERANDS],
  },
  'comparison/softNotEquals.json': {
    '!= with 3 arguments': ['arity', EXTRA_OPERANDS],
  },
  'comparison/strictEquals.json': {
    '=== with 3 arguments': ['arity', EXTRA_OPERANDS],
    '=== with 3 arguments failing': ['arity', EXTRA_OPERANDS],
  },
  'comparison/strictNotEquals.json': {
    '!== with 3 arguments failing': ['arity', EXTRA_OPERANDS],
  },
  'control/and.json': {
    'When all values are truthy, the last truthy value should be returned (2)': [
      'object_literal',
      EMPTY_OBJECT,
    ],
    'And with no arguments should return false': ['arity', NO_OPERANDS],
  },
  'control/if.json': {
    'Objects are always truthy, even without keys.': ['object_literal', EMPTY_OBJECT],
    'Returns first truthy value, some conditions truthy (8)': ['object_literal', EMPTY_OBJECT],
  },
  'control/or.json': {
    'Empty OR returns false': ['arity', NO_OPERANDS],
  },
  'control/not.json': {
    'NOT empty object returns false': ['object_literal', EMPTY_OBJECT],
    'NOT without arguments returns true': ['arity', NO_OPERANDS],
  },
  'control/doublebang.json': {
    'Double bang on empty object returns true': ['object_literal', EMPTY_OBJECT],
    'Double bang without arguments return false': ['arity', NO_OPERANDS],
  },
  'truthiness.json': {
    'Truthy: {}': ['object_literal', EMPTY_OBJECT],
  },
};

const UNKNOWN_OPERATORS: Readonly<Record<string, readonly string[]>> = {
  'arithmetic/plus.json': [
    'Addition with val',
    'Addition with Array from context produces NaN',
    'Addition with Object produces NaN',
  ],
  'arithmetic/plus.extra.json': [
    'Plus operator with empty array dynamic',
    'Plus operator with unary array dynamic',
    'Plus operator with array dynamic',
  ],
  'arithmetic/multiply.json': ['Multiply with val'],
  'arithmetic/multiply.extra.json': [
    'Multiply with dynamic empty array',
    'Multiply with dynamic unary array',
    'Multiply with dynamic array',
  ],
  'arithmetic/minus.json': ['Subtraction with val'],
  'arithmetic/minus.extra.json': [
    'Minus with dynamic empty array',
    'Minus with dynamic unary array',
    'Minus with dynamic array',
  ],
  'arithmetic/divide.json': ['Divide with val'],
  'arithmetic/divide.extra.json': [
    'Divide with dynamic empty array',
    'Divide with dynamic unary array',
    'Divide with dynamic array',
  ],
  'arithmetic/modulo.json': ['Modulo with val'],
  'arithmetic/modulo.extra.json': ['Modulo with dynamic array invalid'],
  'comparison/greaterThan.json': ['> is lazily evaluated'],
  'comparison/greaterThanEquals.json': ['>= is lazily evaluated'],
  'comparison/lessThan.json': ['< is lazily evaluated'],
  'comparison/lessThanEquals.json': ['<= is lazily evaluated'],
  'comparison/softEquals.json': ['== is lazily evaluated'],
  'comparison/softNotEquals.json': ['!= is lazily evaluated'],
  'comparison/strictEquals.json': ['=== is lazily evaluated'],
  'comparison/strictNotEquals.json': ['!== is lazily evaluated'],
  'control/and.json': [
    'And will not interpret the second argument if the first is false',
    'And will not interpret the second argument if the first is falsy',
    'And will not interpret the nth argument if any value before it is false',
  ],
  'control/if.json': [
    'Objects are always truthy, with keys defined',
    'If will not evaluate then branch if the condition is false',
    'If will not evaluate fallback branch if the condition is true',
    'If will not evaluate other branches or checks if a prior condition is true',
    'No branches except the fallback check will be evaluated if the condition is false',
  ],
  'control/or.json': [
    'OR will not interpret the second argument if the first is true',
    'OR will not interpret the second argument if the first is truthy',
    'OR will not interpret the nth argument if any value before it is truthy',
  ],
  'truthiness.json': [
    'Truthy: Zero Key Object',
    'Truthy: Single Key Object',
    'Truthy: Multi Key Object',
    'Truthy: Single Key Object (Empty Key)',
  ],
  'additional.json': [
    'Rule array with val',
    'If Operator fetching both condition and consequent from data',
    'Reduce Operator with val',
    'Simple Inlineable Val Chained',
  ],
  'coalesce.json': [
    'Coalesces a string alone',
    'Coalesces a number alone',
    'Coalesces a boolean alone',
    'Coalesces an object from context alone',
    'Empty behavior',
    'Coalesces a string with nulls before',
    'Coalesces a string with multiple nulls before',
    'Coalesces a string with nulls after',
    'Coalesces a string with nulls both before and after',
    'Coalesces a number with nulls both before and after',
    'Uses the first non-null value',
    'Uses the first non-null value, even if it is false',
    'Uses the first non-null value from context',
    'Uses the first non-null value from context (with person undefined)',
    'Uses the first non-null value from context (without any context)',
  ],
  'chained.json': [
    'Max with Logic Chaining',
    'Cat with Logic Chaining (Simple)',
    'Max with Logic Chaining (Complex)',
    'Addition Chained w/ Merge',
  ],
  'iterators.extra.json': [
    'if with dynamic arguments throws',
    'or with dynamic arguments throws',
    'and with dynamic arguments throws',
    'map with dynamic arguments throws',
    'filter with dynamic arguments throws',
    'reduce with dynamic arguments throws',
    'some with dynamic arguments throws',
    'all with dynamic arguments throws',
    'none with dynamic arguments throws',
    '< with dynamic arguments throws',
    '<= with dynamic arguments throws',
    '> with dynamic arguments throws',
    '>= with dynamic arguments throws',
    '== with dynamic arguments throws',
    '!= with dynamic arguments throws',
    '=== with dynamic arguments throws',
    '!== with dynamic arguments throws',
  ],
  'exists.json': [
    'Checks if a normal key exists',
    'Checks if a normal key exists (array)',
    'Checks if a normal key exists (false)',
    'Checks if an empty key exists (true)',
    'Checks if an empty key exists (false)',
    'Checks if a nested key exists',
    'Checks if a nested key exists (false)',
    'Checks if a null value exists',
  ],
  'scopes.json': [
    'Map can add each number to index',
    'Map can add each number to value from context',
    'Filter can use parent context to filter',
    'Access an escaped key from above',
  ],
  'throw.json': [
    'Throws hello as an error',
    'Throwing NaN produces an error object or measured equivalent (equivalence class test)',
    'Can throw an error object',
  ],
  'try.json': [
    'Coalesce an error',
    'Coalesce an error emitted from an operator',
    'Try is variadic',
    'Panics if none of the values are valid',
    'Panics if none of the values are valid (2)',
    'Panics if none of the values are valid (3)',
    'Panics when the only argument is an error',
    'Panic with an error emitted from an operator',
    'Panic within an iterator',
    'Panic based on an error emitted from an if',
    'Try can work further up the AST with Exceptions',
    'The context switches for the try coalescing to the previous error',
    'The context switches for the try coalescing to the previous error (2)',
    'The context switches for the try coalescing to the previous error (3)',
    'Error can pull from an error object',
    'Try can work further up the AST with Exceptions, and return the error',
    'Handles NaN Explicitly',
    'Did not NaN, so it errored',
  ],
  'try.extra.json': [
    'Try can work further up the AST with Exceptions; Grabbing other Context value',
  ],
  'val.json': [
    'Fetches a value',
    'Fetches a nested value',
    'Fetches a value from an empty key',
    'Fetches a value from a nested empty key',
    'Fetches a value from an array',
    'Fetches a value from an array in an object',
    'Fetches a value from a doubly nested empty key',
    'Fetches a value from a key that is purely a dot',
    'Fetching a value from null returns null',
    'Fetching a value from a null fetched value returns null',
    'Fetches the entire context',
    'Fetches the entire context for a nested key',
    'Using val in a map',
  ],
  'val.extra.json': ['Climb up to get adder', 'Climb up to get index', 'Nested get adder'],
  'val-compat.json': [
    '[1,{"var":"x"},3]',
    '{"if":[{"var":"x"},[{"var":"y"}],99]}',
    '{"var":["a"]}',
    '{"var":["b"]}',
    '{"var":"a"}',
    '{"var":"b"}',
    '{"var":"a.b"}',
    '{"var":"a.q"}',
    '{"var":1}',
    '{"var":"1"}',
    '{"var":"1.1"}',
    '{"and":[{"<":[{"var":"temp"},110]},{"==":[{"var":"pie.filling"},"apple"]}]}',
    '{"var":[{"?:":[{"<":[{"var":"temp"},110]},"pie.filling","pie.eta"]}]}',
    '{"in":[{"var":"filling"},["apple","cherry"]]}',
    '{"var":"a.b.c"}',
    '{"var":""}',
    '{"val":[]}',
    '{"missing":{"merge":["vin",{"if":[{"var":"financing"},["apr"],[]]}]}}',
    '{"filter":[{"var":"integers"},true]}',
    '{"filter":[{"var":"integers"},false]}',
    '{"filter":[{"var":"integers"},{">=":[{"var":""},2]}]}',
    '{"filter":[{"var":"integers"},{"%":[{"var":""},2]}]}',
    '{"map":[{"var":"integers"},{"*":[{"var":""},2]}]}',
    '{"map":[{"var":"desserts"},{"var":"qty"}]}',
    '{"reduce":[{"var":"integers"},{"+":[{"var":"current"},{"var":"accumulator"}]},0]}',
    '{"reduce":[{"var":"integers"},{"+":[{"var":"current"},{"var":"accumulator"}]},{"var":"start_with"}]}',
    '{"reduce":[{"var":"integers"},{"*":[{"var":"current"},{"var":"accumulator"}]},1]}',
    '{"reduce":[{"var":"integers"},{"*":[{"var":"current"},{"var":"accumulator"}]},0]}',
    '{"reduce":[{"var":"desserts"},{"+":[{"var":"accumulator"},{"var":"current.qty"}]},0]}',
    '{"all":[{"var":"integers"},{">=":[{"var":""},1]}]}',
    '{"all":[{"var":"integers"},{"==":[{"var":""},1]}]}',
    '{"all":[{"var":"integers"},{"<":[{"var":""},1]}]}',
    '{"all":[{"var":"items"},{">=":[{"var":"qty"},1]}]}',
    '{"all":[{"var":"items"},{">":[{"var":"qty"},1]}]}',
    '{"all":[{"var":"items"},{"<":[{"var":"qty"},1]}]}',
    '{"none":[{"var":"integers"},{">=":[{"var":""},1]}]}',
    '{"none":[{"var":"integers"},{"==":[{"var":""},1]}]}',
    '{"none":[{"var":"integers"},{"<":[{"var":""},1]}]}',
    '{"none":[{"var":"items"},{">=":[{"var":"qty"},1]}]}',
    '{"none":[{"var":"items"},{">":[{"var":"qty"},1]}]}',
    '{"none":[{"var":"items"},{"<":[{"var":"qty"},1]}]}',
    '{"some":[{"var":"integers"},{">=":[{"var":""},1]}]}',
    '{"some":[{"var":"integers"},{"==":[{"var":""},1]}]}',
    '{"some":[{"var":"integers"},{"<":[{"var":""},1]}]}',
    '{"some":[{"var":"items"},{">=":[{"var":"qty"},1]}]}',
    '{"some":[{"var":"items"},{">":[{"var":"qty"},1]}]}',
    '{"some":[{"var":"items"},{"<":[{"var":"qty"},1]}]}',
  ],
};

function readSuite(file: string): Case[] {
  const entries = JSON.parse(fs.readFileSync(path.join(SUITES, file), 'utf8')) as unknown[];

  return entries.filter((entry): entry is Case => typeof entry === 'object' && entry !== null);
}

/** Whether an outcome is what the suite expects: the value (JSON, so 0 is -0 too) or an error. */
function meets(outcome: Outcome, test: Case): boolean {
  const expected: Outcome =
    'error' in test
      ? { threw: true, error: JSON.stringify(test.error) }
      : { threw: false, value: test.result };

  return sameOutcome(outcome, expected, false);
}

/** Our engine as a service runs it: validate and compile, then evaluate. */
function ours(test: Case): Outcome {
  return outcomeOf(() => compileRule(test.rule).evaluate(test.data, { now: 0 }));
}

function codes(rule: unknown): RuleIssueCode[] {
  return validateRule(rule).map((issue) => issue.code as RuleIssueCode);
}

if (!fs.existsSync(path.join(SUITES, 'index.json'))) {
  describe('JSONLogic conformance suites', () => {
    it('are not there, so nothing is checked', () => {
      process.stdout.write(`SKIPPED: conformance suites not found at ${SUITES}\n`);
      expect(fs.existsSync(path.join(SUITES, 'index.json'))).toBe(false);
    });
  });
} else {
  const files = JSON.parse(fs.readFileSync(path.join(SUITES, 'index.json'), 'utf8')) as string[];

  describe('compatible.json, the classic suite', () => {
    const cases = readSuite('compatible.json');

    it('has its cases', () => {
      expect(cases.length).toBeGreaterThan(250);
    });

    it.each(cases.map((test) => [test.description, test] as const))('%s', (_description, test) => {
      expect(codes(test.rule)).toEqual([]);
      expect(meets(ours(test), test)).toBe(true);
      // The suite holds json-logic-js to the same answers, which keeps the suite honest.
      expect(meets(reference(test.rule, test.data), test)).toBe(true);
    });
  });

  describe.each(files.filter((file) => file !== 'compatible.json'))('%s', (file) => {
    const cases = readSuite(file);
    const kept = KEPT[file] ?? {};
    const refused = REFUSED[file] ?? {};
    const unknown = new Set(UNKNOWN_OPERATORS[file] ?? []);

    it.each(cases.map((test) => [test.description, test] as const))('%s', (description, test) => {
      const issues = codes(test.rule);
      if (unknown.has(description)) {
        expect(issues).toContain('unknown_operator');

        return;
      }
      expect(issues).not.toContain('unknown_operator');
      const refusal = refused[description];
      if (refusal !== undefined) {
        expect(issues).toContain(refusal[0]);
        expect(meets(ours(test), test)).toBe(false);
        const unchecked = outcomeOf(() =>
          compileUnchecked(test.rule).evaluate(test.data, { now: 0 }),
        );
        expect(sameOutcome(unchecked, reference(test.rule, test.data))).toBe(true);

        return;
      }
      const outcome = ours(test);
      if (kept[description] !== undefined) {
        expect(issues).toEqual([]);
        expect(sameOutcome(outcome, reference(test.rule, test.data))).toBe(true);
        expect(meets(outcome, test)).toBe(false);

        return;
      }
      expect(meets(outcome, test)).toBe(true);
    });
  });

  describe('the tables of exceptions', () => {
    it.each([
      ['KEPT', KEPT],
      ['REFUSED', REFUSED],
      ['UNKNOWN_OPERATORS', UNKNOWN_OPERATORS],
    ] as const)('%s names only cases that exist', (_name, table) => {
      const stale = Object.entries(table).flatMap(([file, entries]) => {
        const descriptions = new Set(
          files.includes(file) ? readSuite(file).map((c) => c.description) : [],
        );

        return (Array.isArray(entries) ? entries : Object.keys(entries))
          .filter((description: string) => !descriptions.has(description))
          .map((description: string) => `${file}: ${description}`);
      });
      expect(stale).toEqual([]);
    });
  });
}
