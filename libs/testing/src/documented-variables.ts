import fs from 'node:fs';
import path from 'node:path';

const docs = path.resolve(__dirname, '../../../docs/configuration.md');

/** Variable names of a config spec that docs/configuration.md does not mention. */
export function undocumentedVariables(spec: Record<string, unknown>): string[] {
  const text = fs.readFileSync(docs, 'utf8');

  return Object.keys(spec).filter((name) => !text.includes(`\`${name}\``));
}
