import fs from 'node:fs';
import path from 'node:path';

import { EVENT_CATALOGUE } from './catalogue';

// The JSON Schemas downstream consumers read live in docs/events/, one file per type.
// `UPDATE_SCHEMAS=1 npx jest -c libs/contracts/jest.config.js published` rewrites them.
const folder = path.resolve(__dirname, '../../../docs/events');

describe('published event schemas', () => {
  it('match the catalogue, one file per event type', () => {
    const expected = Object.fromEntries(
      Object.values(EVENT_CATALOGUE).map((spec) => [
        `${spec.type}.v${spec.schemaVersion}.schema.json`,
        `${JSON.stringify({ description: spec.description, ...spec.schema }, null, 2)}\n`,
      ]),
    );
    if (process.env.UPDATE_SCHEMAS === '1') {
      fs.rmSync(folder, { recursive: true, force: true });
      fs.mkdirSync(folder, { recursive: true });
      for (const [name, text] of Object.entries(expected))
        fs.writeFileSync(path.join(folder, name), text);
    }
    const published = Object.fromEntries(
      fs
        .readdirSync(folder)
        .map((name) => [name, fs.readFileSync(path.join(folder, name), 'utf8')]),
    );

    expect(published).toEqual(expected);
  });
});
