#!/usr/bin/env node
// The `sohoa` command. The backend is TypeScript: the command runs one bundle of its sources
// (rebuilt whenever one of them is newer; see source-bundle.mjs), with no separate build step.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importEntry } from './source-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await importEntry({ root, entry: 'electron/cli/main.ts' });
process.exitCode = await main(process.argv.slice(2));
