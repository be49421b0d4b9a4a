import fs from 'node:fs/promises';
import path from 'node:path';

import { emptyTable, type MembershipTable } from './membership-table';

/** The table as it was last saved, or an empty one the first time. */
export async function loadTable(file: string): Promise<MembershipTable> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as MembershipTable;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyTable();
    throw error;
  }
}

/**
 * Replaces the file in one step (write aside, flush to disk, rename), so a crash leaves
 * the old table or the new one, never half of one. Rows are written in key order, so
 * the file does not depend on the order in which partitions were consumed.
 */
export async function saveTable(file: string, table: MembershipTable): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(aside, 'w');
  try {
    const rows = Object.entries(table.rows).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sorted: MembershipTable = { rows: Object.fromEntries(rows) };
    await handle.writeFile(`${JSON.stringify(sorted, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(aside, file);
}
