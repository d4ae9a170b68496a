#!/usr/bin/env node
// The `sohoa` command. The backend is TypeScript run through tsx's loader, so the CLI, browser
// mode and tests execute the very same sources without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
