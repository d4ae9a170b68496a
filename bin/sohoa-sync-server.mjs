#!/usr/bin/env node
// The `sohoa-sync-server` command: the central sync service, run from its TypeScript sources like
// bin/sohoa.mjs (a bundle rebuilt whenever a source is newer; see source-bundle.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importEntry } from './source-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await importEntry({ root, entry: 'sync-server/main.ts' });
process.exitCode = await main(process.argv.slice(2));
