import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Procedure, ProcedureComponent } from '../../../shared/api/contract';
import type { Db } from '../db/database';

const CatalogFile = z.object({
  sample: z.boolean().default(false),
  procedures: z.array(z.object({ code: z.string(), name: z.string(), components: z.array(ProcedureComponent) })),
});

/** On first run, loads the starter sample catalog so a clerk can try the app at once. */
export function seedSampleCatalog(db: Db, assetsDir: string): void {
  const count = (db.prepare('SELECT count(*) AS n FROM procedures').get() as { n: number }).n;
  if (count > 0) return;
  const file = path.join(assetsDir, 'reference', 'sample-procedures.json');
  const catalog = CatalogFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  const insert = db.prepare('INSERT INTO procedures (code, name, components, sample) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const p of catalog.procedures)
      insert.run(p.code, p.name, JSON.stringify(p.components), catalog.sample ? 1 : 0);
  })();
}

interface ProcedureRow {
  code: string;
  name: string;
  components: string;
  sample: number;
}

function toProcedure(row: ProcedureRow): Procedure {
  return {
    code: row.code,
    name: row.name,
    components: z.array(ProcedureComponent).parse(JSON.parse(row.components)),
    sample: row.sample === 1,
  };
}

export function listProcedures(db: Db): Procedure[] {
  return (db.prepare('SELECT * FROM procedures ORDER BY code').all() as ProcedureRow[]).map(toProcedure);
}

export function findProcedure(db: Db, code: string): Procedure | null {
  const row = db.prepare('SELECT * FROM procedures WHERE code = ?').get(code) as ProcedureRow | undefined;
  return row ? toProcedure(row) : null;
}
