/**
 * `tollgate count`: tokens of prompt files. Exact models count with their encoding
 * (Encoding.count, no cost engine loaded: this is the command whose start-up is measured);
 * chats use countChatDetailed (message framing, tools, images); models without a public
 * tokenizer use estimateCost's labelled estimate.
 */
import type { Encoding } from '../../runtime/node.js';
import { CliError } from '../errors.js';
import { lib, pricedLibrary } from '../library.js';
import { num } from '../output/format.js';
import { printJson } from '../output/json.js';
import { styleFor } from '../output/style.js';
import { renderText } from '../output/table.js';
import type { FileKind, RequestInput } from '../project/inputs.js';
import { requestsOfArg } from '../read-input.js';

interface Options {
  model: string;
  encoding?: string;
  as?: FileKind;
  json?: boolean;
}

interface FileCount {
  file: string;
  kind: FileKind;
  requests: number;
  tokens: number;
  exact: boolean;
  method: string;
}

/** How text is counted: an encoding, or through the model's estimate. */
type Counter = { encoding: Encoding; name: string } | { model: string };

async function counterFor(opts: Options): Promise<{ counter: Counter; model?: string }> {
  if (opts.encoding) return { counter: { encoding: await lib.getEncoding(opts.encoding as never), name: opts.encoding } };
  // Models with a public tokenizer (OpenAI's) count with it without loading the pricing table:
  // that is half of this command's start-up.
  const known = lib.lookupModelEncoding(opts.model);
  if (known) return { counter: { encoding: await lib.getEncoding(known), name: known }, model: opts.model };
  await pricedLibrary();
  const info = lib.getModel(opts.model);
  const t = info.tokenizer;
  if (!t) throw new CliError(`${info.id} is not priced by tokens (it bills ${info.kind === 'transcription' ? 'audio minutes' : 'characters'}); nothing to count`, 'not_tokenized');
  if (t.exact) return { counter: { encoding: await lib.getEncoding(t.encoding), name: t.encoding }, model: info.id };
  return { counter: { model: info.id }, model: info.id };
}

async function countOne(input: RequestInput, counter: Counter, where: string): Promise<{ tokens: number; exact: boolean; method: string }> {
  try {
    if ('messages' in input) {
      if (!('model' in counter)) throw new CliError(`${where}: chat messages are counted for a model (--model), not an encoding`, 'invalid_input');
      const c = await lib.countChatDetailed(input.messages, input.tools ? { model: counter.model, tools: input.tools } : { model: counter.model });
      return { tokens: c.tokens, exact: c.exact, method: c.method };
    }
    const text = 'input' in input ? input.input : '';
    if ('encoding' in counter) return { tokens: counter.encoding.count(text), exact: true, method: counter.name };
    const est = await lib.estimateCost({ model: counter.model, input: text, outputTokens: 0 });
    return { tokens: est.inputTokens, exact: est.exact, method: est.method };
  } catch (e) {
    if (e instanceof lib.CostInputError) throw new CliError(`${where}: ${e.message}`, 'invalid_input');
    throw e;
  }
}

export async function run(files: string[], opts: Options): Promise<number> {
  if (files.length === 0) throw new CliError("give a file to count, or - to read standard input (see 'tollgate count --help')", 'missing_input');
  const { counter: textCounter, model } = await counterFor(opts);
  // Chats need the model even when text is counted with its encoding.
  const chatCounter: Counter = model ? { model } : textCounter;
  const results: FileCount[] = [];
  for (const f of files) {
    const { name, kind, requests } = await requestsOfArg(f, opts.as);
    const r: FileCount = { file: name, kind, requests: requests.length, tokens: 0, exact: true, method: '' };
    for (const req of requests) {
      const c = await countOne(req.input, 'messages' in req.input ? chatCounter : textCounter, req.where);
      r.tokens += c.tokens;
      r.exact &&= c.exact;
      r.method ||= c.method;
    }
    results.push(r);
  }
  const total = results.reduce((n, r) => n + r.tokens, 0);
  const exact = results.every((r) => r.exact);
  if (opts.json) {
    printJson({ object: 'count', model: opts.encoding ? null : (model ?? opts.model), encoding: opts.encoding ?? null, files: results, total_tokens: total, exact });
    return 0;
  }
  const style = styleFor(process.stdout);
  const mark = (r: { exact: boolean }): string => (r.exact ? '' : '~');
  const who = opts.encoding ?? model ?? opts.model;
  if (results.length === 1) {
    const r = results[0]!;
    const how = r.exact ? `${r.method}, exact` : `${r.method}: an estimate, no public tokenizer`;
    process.stdout.write(`${style('bold', `${mark(r)}${num(r.tokens)}`)} tokens  ${r.file}${r.requests > 1 ? ` (${r.requests} requests)` : ''}  ${style('dim', `${who} · ${how}`)}\n`);
    return 0;
  }
  const table = {
    columns: [{ header: 'File' }, { header: 'Kind' }, { header: 'Requests', align: 'right' as const }, { header: 'Tokens', align: 'right' as const }],
    rows: results.map((r) => [r.file, r.kind, String(r.requests), `${mark(r)}${num(r.tokens)}`]),
    footer: [[`Total (${results.length} files)`, '', String(results.reduce((n, r) => n + r.requests, 0)), `${exact ? '' : '~'}${num(total)}`]],
  };
  process.stdout.write(`${renderText(table, style)}\n${style('dim', `${who} · ${exact ? `${results[0]!.method}, exact` : '~ estimate: the model has no public tokenizer'}`)}\n`);
  return 0;
}
