/**
 * `tollgate pricing list | show | update | reset`: the pricing table the CLI prices with, and
 * signed updates of it (see pricing-store.ts: verified by the library's loadPricing before
 * anything is written; a failure keeps the table in use).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ModelInfo, PricePeriod } from '../../runtime/node.js';
import { CliError } from '../errors.js';
import { fetchWithTimeout } from '../http.js';
import { lib, pricedLibrary } from '../library.js';
import { displayUsd, fromDecimal } from '../money.js';
import { num } from '../output/format.js';
import { printJson } from '../output/json.js';
import { styleFor } from '../output/style.js';
import { renderText, type Table } from '../output/table.js';
import { activatePricing, installPricing, installedPath, resetPricing, type TableInfo } from '../pricing-store.js';

/** The price period in force today (periods are oldest first). */
function current(m: ModelInfo): PricePeriod {
  const today = new Date().toISOString().slice(0, 10);
  return [...m.prices].reverse().find((p) => p.since <= today) ?? m.prices[0]!;
}

/** $/MTok as people read it ("$2.50"), or — when the model has no such price. */
const perMTok = (d: string | undefined): string => (d === undefined ? '—' : displayUsd(fromDecimal(d)));

function tableLine(t: TableInfo): string {
  if (t.source === 'installed') return `installed update ${t.version} (${t.path}, installed ${t.installed_at}); built-in ${t.built_in_version}`;
  return `built-in ${t.version}${t.note ? ` (${t.note}; update in ${t.path} not used)` : ''}`;
}

export async function runList(opts: { provider?: string; json?: boolean }): Promise<number> {
  const { table } = await pricedLibrary();
  const models = lib.listModels(opts.provider);
  if (opts.provider && models.length === 0) {
    const providers = [...new Set(lib.listModels().map((m) => m.provider))].sort();
    throw new CliError(`no provider '${opts.provider}' in the pricing table; providers: ${providers.join(', ')}`, 'unknown_provider');
  }
  if (opts.json) {
    printJson({
      object: 'list',
      pricing: table,
      data: models.map((m) => {
        const p = current(m);
        return {
          id: m.id,
          provider: m.provider,
          name: m.name,
          kind: m.kind,
          aliases: m.aliases ?? [],
          price_since: p.since,
          input: p.input ?? null,
          output: p.output ?? null,
          cached_input: p.cached_input ?? null,
          cache_write_5m: p.cache_write_5m ?? null,
          cache_write_1h: p.cache_write_1h ?? null,
          context_window: m.context_window ?? null,
          max_output: m.max_output ?? null,
          exact: m.tokenizer?.exact ?? false,
          source: m.source,
          checked: m.checked,
        };
      }),
    });
    return 0;
  }
  const style = styleFor(process.stdout);
  const t: Table = {
    columns: [
      { header: 'Model' },
      { header: 'Provider' },
      { header: 'Input $/MTok', align: 'right' },
      { header: 'Cached', align: 'right' },
      { header: 'Output $/MTok', align: 'right' },
      { header: 'Context', align: 'right' },
      { header: 'Tokens' },
    ],
    rows: models.map((m) => {
      const p = current(m);
      return [m.id, m.provider, perMTok(p.input), perMTok(p.cached_input), perMTok(p.output), m.context_window ? num(m.context_window) : '—', !m.tokenizer ? '—' : m.tokenizer.exact ? 'exact' : '~ estimate'];
    }),
  };
  process.stdout.write(`${renderText(t, style)}\n${style('dim', `${models.length} models · pricing table: ${tableLine(table)}`)}\n`);
  return 0;
}

export async function runShow(model: string | undefined, opts: { json?: boolean }): Promise<number> {
  const { table } = await pricedLibrary();
  const m = model === undefined ? undefined : lib.getModel(model);
  if (opts.json) {
    printJson({ object: 'pricing', table, model: m ?? null });
    return 0;
  }
  const style = styleFor(process.stdout);
  const out = [`${style('bold', 'Pricing table:')} ${tableLine(table)}`];
  if (m) {
    out.push('', `${style('bold', m.id)} ${style('dim', `(${m.provider}) ${m.name} · ${m.kind}`)}`);
    if (m.aliases?.length) out.push(`aliases: ${m.aliases.join(', ')}`);
    const tok = m.tokenizer ? (m.tokenizer.exact ? `${m.tokenizer.encoding} (exact)` : `${m.tokenizer.method} (estimate: no public tokenizer)`) : 'not priced by tokens';
    out.push(`tokens: ${tok}${m.context_window ? ` · context ${num(m.context_window)}` : ''}${m.max_output ? ` · max output ${num(m.max_output)}` : ''}`);
    out.push(`source: ${m.source} (checked ${m.checked})`);
    if (m.deprecated || m.retired) out.push(`lifecycle: ${[m.deprecated ? `deprecated ${m.deprecated}` : '', m.retired ? `retired ${m.retired}` : '', m.replacement ? `replacement ${m.replacement}` : ''].filter(Boolean).join(', ')}`);
    out.push('');
    const fields = ['input', 'cached_input', 'cache_write_5m', 'cache_write_1h', 'output', 'reasoning'] as const;
    const t: Table = {
      columns: [{ header: 'Since' }, ...fields.map((f) => ({ header: f, align: 'right' as const })), { header: 'Other' }],
      rows: m.prices.map((p) => [
        p.since,
        ...fields.map((f) => perMTok(p[f])),
        [p.batch ? 'batch' : '', ...Object.keys(p.service_tiers ?? {}), p.tiers?.length ? `tiers > ${p.tiers.map((x) => num(x.threshold)).join(', ')}` : '', p.image ? `images: ${p.image.rule}` : '', p.audio ? 'audio' : '', p.per_minute ? `${displayUsd(fromDecimal(p.per_minute))}/min` : '']
          .filter(Boolean)
          .join(', '),
      ]),
    };
    out.push(renderText(t, style), style('dim', 'USD per million tokens'));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** Bytes of a path or http(s) URL. */
async function fetchBytes(from: string, what: string): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(from)) {
    const res = await fetchWithTimeout(from, {}, 30, `${what}: cannot fetch ${from}`);
    if (!res.ok) throw new CliError(`${what}: ${from} answered HTTP ${res.status}`, 'download_failed');
    return new Uint8Array(await res.arrayBuffer());
  }
  try {
    return readFileSync(from);
  } catch (e) {
    throw new CliError(`${what}: cannot read ${from} (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message})`, 'file_not_found');
  }
}

/** A signature given as base64, or as a path / URL of the .sig file. */
async function signatureOf(sig: string): Promise<string> {
  if (/^https?:\/\//i.test(sig) || existsSync(sig)) return new TextDecoder().decode(await fetchBytes(sig, '--signature')).trim();
  if (/[/\\]|\.sig$/i.test(sig)) throw new CliError(`--signature: no such file ${sig}`, 'file_not_found');
  return sig;
}

export async function runUpdate(opts: { from: string; signature: string; publicKey?: string; json?: boolean }): Promise<number> {
  const key = opts.publicKey ?? process.env.TOLLGATE_PRICING_PUBLIC_KEY;
  if (!key) throw new CliError('give --public-key (or set TOLLGATE_PRICING_PUBLIC_KEY): updates are only installed when their Ed25519 signature verifies', 'missing_public_key');
  // The table in use now, to report; a broken installed update must not block replacing it.
  let previous: string;
  try {
    previous = (await activatePricing(lib)).version;
  } catch {
    previous = `${lib.pricingVersion()} (built-in; the installed update is broken)`;
  }
  const bytes = await fetchBytes(opts.from, '--from');
  const signature = await signatureOf(opts.signature);
  let r;
  try {
    r = await installPricing(lib, bytes, signature, key, opts.from);
  } catch (e) {
    const err = e as Error;
    if (err.name === 'PricingSignatureError' || err.name === 'PricingValidationError' || err.name === 'RangeError') {
      throw new CliError(`${err.message}; nothing installed, the table in use is still ${previous}`, err.name === 'PricingSignatureError' ? 'invalid_signature' : 'invalid_pricing');
    }
    throw e;
  }
  if (opts.json) {
    printJson({ object: 'pricing.update', version: r.version, models: r.models, path: r.path, previous_version: previous });
    return 0;
  }
  process.stdout.write(`Installed pricing table ${r.version} (${r.models} models) into ${r.path}; it was ${previous}.\n`);
  return 0;
}

export async function runReset(opts: { json?: boolean }): Promise<number> {
  const removed = resetPricing();
  const builtIn = lib.pricingVersion();
  if (opts.json) printJson({ object: 'pricing.reset', removed, path: installedPath(), version: builtIn });
  else process.stdout.write(removed ? `Removed ${installedPath()}; using the built-in table ${builtIn}.\n` : `No installed update; using the built-in table ${builtIn}.\n`);
  return 0;
}
