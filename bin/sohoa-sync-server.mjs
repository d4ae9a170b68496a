#!/usr/bin/env node
// The `sohoa-sync-server` command: the central sync service, run from its TypeScript sources
// through tsx's loader, like bin/sohoa.mjs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sync-server/main.ts');
process.exitCode = await main(process.argv.slice(2));
