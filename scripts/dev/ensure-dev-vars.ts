/**
 * `npm start` runs this before `wrangler dev`: a fresh checkout gets .dev.vars (local secrets
 * and TOLLGATE_DEMO=on) from .dev.vars.example, so the admin API, keys and the demo provider
 * work with no setup. An existing .dev.vars is left alone.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const target = resolve(root, '.dev.vars');
if (!existsSync(target)) {
  copyFileSync(resolve(root, '.dev.vars.example'), target);
  console.log('tollgate: wrote .dev.vars from .dev.vars.example (local development secrets, demo provider on)');
}
