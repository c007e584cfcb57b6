/**
 * Signed pricing updates installed for later runs: `tollgate pricing update` verifies a
 * signed bundle with the library's loadPricing (Ed25519 + validation; a failure leaves the old
 * table) and only then writes it into the user's cache directory; every later run verifies it
 * again and puts it in force, unless the built-in table is newer.
 *
 * The update is one file (`installed-pricing.json`: bundle text, signature, public key), written
 * to a temporary name and renamed, so a crash never leaves half an update behind.
 */
import { join } from 'node:path';
import { nodeBuiltin } from '../runtime/node-builtin.js';
import { CliError } from './errors.js';

// Every run reads this file; ESM imports of node:fs / node:os would build module namespaces
// on each start-up, the loaded built-ins cost nothing.
const fs = (): typeof import('node:fs') => nodeBuiltin('node:fs');
const homedir = (): string => nodeBuiltin<typeof import('node:os')>('node:os').homedir();

type Lib = typeof import('../runtime/node.js');

/** Which pricing table a run uses. */
export interface TableInfo {
  source: 'built-in' | 'installed';
  version: string;
  built_in_version: string;
  /** The installed update's file, when there is one (in force or not). */
  path?: string;
  installed_version?: string;
  installed_at?: string;
  /** Why an installed update is not in force. */
  note?: string;
}

interface Installed {
  format: 1;
  installed_at: string;
  from: string;
  version: string;
  signature: string;
  public_key: string;
  /** The signed bundle exactly as received (UTF-8 JSON text; re-encoding gives the same bytes). */
  bundle: string;
}

const FILE = 'installed-pricing.json';

/**
 * The cache directory: TOLLGATE_CACHE_DIR, else $XDG_CACHE_HOME/tollgate, else the platform's
 * user cache (~/.cache, ~/Library/Caches, %LOCALAPPDATA%).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TOLLGATE_CACHE_DIR) return env.TOLLGATE_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'tollgate');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'tollgate');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'tollgate', 'Cache');
  return join(homedir(), '.cache', 'tollgate');
}

export function installedPath(): string {
  return join(cacheDir(), FILE);
}

function readInstalled(path: string): Installed | undefined {
  let text: string;
  try {
    text = fs().readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read the installed pricing table ${path}: ${(e as Error).message}`, 'pricing_cache');
  }
  try {
    const v = JSON.parse(text) as Installed;
    if (v.format !== 1 || typeof v.bundle !== 'string' || typeof v.signature !== 'string' || typeof v.public_key !== 'string') throw new Error('unexpected contents');
    return v;
  } catch (e) {
    throw new CliError(`the installed pricing table ${path} is corrupt (${(e as Error).message}); run 'tollgate pricing update' again or 'tollgate pricing reset'`, 'pricing_cache');
  }
}

/** `YYYY-MM-DD` of a table version (`<date>+<hash>`). */
const versionDate = (v: string): string => v.slice(0, 10);

let active: Promise<TableInfo> | undefined;

/**
 * Puts the installed update in force (once per process) and says which table is in use.
 * @throws CliError when an installed update no longer verifies (it is never silently skipped)
 */
export function activatePricing(lib: Lib): Promise<TableInfo> {
  return (active ??= activate(lib));
}

async function activate(lib: Lib): Promise<TableInfo> {
  const builtIn = lib.pricingVersion();
  const path = installedPath();
  const inst = readInstalled(path);
  if (!inst) return { source: 'built-in', version: builtIn, built_in_version: builtIn };
  const base = { path, installed_version: inst.version, installed_at: inst.installed_at, built_in_version: builtIn };
  if (versionDate(builtIn) > versionDate(inst.version)) {
    return { source: 'built-in', version: builtIn, ...base, note: `the built-in table (${builtIn}) is newer than the installed update (${inst.version})` };
  }
  try {
    const r = await lib.loadPricing(new TextEncoder().encode(inst.bundle), inst.signature, inst.public_key);
    return { source: 'installed', version: r.version, ...base };
  } catch (e) {
    throw new CliError(`the installed pricing table ${path} failed verification (${(e as Error).message}); run 'tollgate pricing update' again or 'tollgate pricing reset'`, 'pricing_cache');
  }
}

/**
 * The pricing bundle (pricing.json text) of the table `info` describes: the installed update
 * or the package's built-in dist/assets/pricing.json (this module is bundled into dist/cli/chunks).
 */
export function bundleText(info: TableInfo): string {
  if (info.source === 'installed') return readInstalled(info.path!)!.bundle;
  return fs().readFileSync(new URL('../../assets/pricing.json', import.meta.url), 'utf8');
}

/**
 * Verifies `bytes` (loadPricing: signature, then validation; the old table stays on failure)
 * and installs it for later runs.
 */
export async function installPricing(lib: Lib, bytes: Uint8Array, signature: string, publicKey: string, from: string): Promise<{ version: string; models: number; path: string }> {
  const r = await lib.loadPricing(bytes, signature, publicKey);
  const dir = cacheDir();
  const path = join(dir, FILE);
  const record: Installed = {
    format: 1,
    installed_at: new Date().toISOString(),
    from,
    version: r.version,
    signature: signature.trim(),
    public_key: publicKey.trim(),
    bundle: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
  };
  try {
    fs().mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    fs().writeFileSync(tmp, JSON.stringify(record));
    fs().renameSync(tmp, path);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`, 'pricing_cache');
  }
  return { version: r.version, models: r.models, path };
}

/** Removes the installed update; returns whether there was one. */
export function resetPricing(): boolean {
  const path = installedPath();
  const had = readInstalledQuiet(path);
  fs().rmSync(path, { force: true });
  return had;
}

function readInstalledQuiet(path: string): boolean {
  try {
    fs().readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
