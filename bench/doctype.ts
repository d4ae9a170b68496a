/**
 * Document-type suggestion accuracy, before and after learning from clerks' confirmations.
 *
 *   npx tsx bench/doctype.ts        (BENCH_PER_TYPE=40 texts per type, BENCH_SEED=1)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}. stderr: progress.
 * The texts come from tests/fixtures/doc-types.ts (15 types, several layouts each, continuation
 * pages without a title, OCR-like damage). Half of each type is the test split, half the training
 * split. "rules" is the data file alone; "rules+learned" is after every training text was
 * confirmed through DocTypeService.setType on a real SQLite database, as a clerk would. Timings
 * per suggestion compare the two in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ASSETS_DIR } from '../electron/core/backend.ts';
import { openDatabase, type Db } from '../electron/core/db/database.ts';
import { DocTypeService, documentTypeState } from '../electron/core/doc-types/doc-type-service.ts';
import { loadDocTypeRules } from '../electron/core/doc-types/rules-file.ts';
import {
  GENERATED_DOC_TYPES,
  generateDocTypeSet,
  splitTrainTest,
  type LabelledText,
} from '../tests/fixtures/doc-types.ts';
import { insertRecognizedDocument } from '../tests/support/text-documents.ts';

const PER_TYPE = Number(process.env.BENCH_PER_TYPE ?? 40);
const SEED = Number(process.env.BENCH_SEED ?? 1);

function emit(figure: { name: string; value: number; unit: string; [extra: string]: unknown }): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

interface Measured {
  accuracy: number;
  perType: Record<string, number>;
  msPerSuggestion: number;
}

/** Suggests a type for every test document again and compares it with the label. */
function measure(db: Db, service: DocTypeService, docs: { documentId: string; item: LabelledText }[]): Measured {
  const started = performance.now();
  for (const { documentId } of docs) service.refreshDocument(db, documentId);
  const msPerSuggestion = (performance.now() - started) / docs.length;
  const right = new Map<string, number>();
  for (const { documentId, item } of docs) {
    if (documentTypeState(db, documentId).suggested === item.type)
      right.set(item.type, (right.get(item.type) ?? 0) + 1);
  }
  const perType: Record<string, number> = {};
  for (const type of GENERATED_DOC_TYPES) {
    const total = docs.filter((doc) => doc.item.type === type).length;
    perType[type] = round((right.get(type) ?? 0) / total);
  }
  const correct = [...right.values()].reduce((a, b) => a + b, 0);
  return { accuracy: round(correct / docs.length), perType, msPerSuggestion: round(msPerSuggestion) };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function run(noise: number): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'sohoa-bench-doctype-'));
  try {
    const db = openDatabase(path.join(dir, 'sohoa.db'));
    const service = new DocTypeService(loadDocTypeRules(REPO_ASSETS_DIR));
    const { train, test } = splitTrainTest(generateDocTypeSet({ perType: PER_TYPE, seed: SEED, noise }), 0.5, SEED + 1);
    const testDocs = test.map((item) => ({ documentId: insertRecognizedDocument(db, item.text).documentId, item }));
    const common = { noise, seed: SEED, testTexts: test.length, types: GENERATED_DOC_TYPES.length };

    const before = measure(db, service, testDocs);
    emit({ name: 'doctype.accuracy', value: before.accuracy, unit: 'ratio', model: 'rules', trainTexts: 0, ...common });

    // Learning curve: confirm k texts of each type, then the whole training split.
    const taught = new Map<string, number>();
    let after = before;
    const learnStarted = performance.now();
    for (const k of [1, 3, Number.POSITIVE_INFINITY]) {
      for (const type of GENERATED_DOC_TYPES) {
        const ofType = train.filter((item) => item.type === type);
        for (const item of ofType.slice(taught.get(type) ?? 0, k)) {
          const { documentId } = insertRecognizedDocument(db, item.text);
          service.setType(db, documentId, item.type);
        }
        taught.set(type, Math.min(k, ofType.length));
      }
      after = measure(db, service, testDocs);
      const trainTexts = [...taught.values()].reduce((a, b) => a + b, 0);
      emit({
        name: 'doctype.accuracy',
        value: after.accuracy,
        unit: 'ratio',
        model: 'rules+learned',
        trainTexts,
        ...common,
      });
    }
    const learnMs = performance.now() - learnStarted;
    process.stderr.write(`[bench:doctype] noise ${noise}: per type before ${JSON.stringify(before.perType)}\n`);
    process.stderr.write(`[bench:doctype] noise ${noise}: per type after ${JSON.stringify(after.perType)}\n`);
    emit({ name: 'doctype.suggest.time', value: before.msPerSuggestion, unit: 'ms', model: 'rules', noise });
    emit({
      name: 'doctype.suggest.time',
      value: after.msPerSuggestion,
      unit: 'ms',
      model: 'rules+learned',
      reference: before.msPerSuggestion,
      trainTexts: train.length,
      noise,
    });
    emit({ name: 'doctype.learn.time', value: round(learnMs / train.length), unit: 'ms', per: 'confirmation', noise });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const noise of [0.5, 1]) run(noise);
