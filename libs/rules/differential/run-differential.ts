// npm run rules:differential -- --pairs 1000000 --seed 1
// Prints the number of pairs and of differences, the first differences in full, and
// exits 1 if there is any.
import { parseArgs } from 'node:util';
import { inspect } from 'node:util';

import { runDifferential } from './differential';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    'explain-every': { type: 'string', default: '50' },
  },
});
const total = Number(values.pairs);
const seed = Number(values.seed);
const explainEvery = Number(values['explain-every']);
if (!Number.isSafeInteger(total) || total < 1 || !Number.isSafeInteger(seed)) {
  process.stderr.write('usage: rules:differential -- --pairs <n> --seed <integer>\n');
  process.exit(2);
}

const started = performance.now();
const report = runDifferential({ seed, pairs: total, explainEvery, examples: 5 });
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const out = (line: string) => process.stdout.write(`${line}\n`);
out(`pairs: ${report.pairs} (seed ${seed}, ${report.rules} rules, ${seconds} s)`);
out(`  rule passes validation: ${report.validated}; both engines throw: ${report.threw}`);
out(`differences: ${report.differences}`);
for (const difference of report.examples) {
  out(inspect(difference, { depth: null, breakLength: 100 }));
}
process.exit(report.differences === 0 ? 0 : 1);
