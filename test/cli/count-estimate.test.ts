/**
 * `tollgate count` and `tollgate estimate` as processes on real files: token counts equal
 * tiktoken's, costs equal decimals computed by hand from the prices in force on 2025-11-01
 * (USD per million tokens: gpt-4o 2.50 in / 1.25 cached / 10 out, batch 50%; gpt-4o-mini 0.15 /
 * 0.60; claude-sonnet-4-5 3 in / 0.30 cache read / 6 cache write 1 h / 15 out; gemini-2.5-flash
 * audio 1.00 at 32 tokens/s), every JSON output valid against its shipped schema.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { oracle } from '../helpers/oracle.js';
import { json, run, schemaErrors, tempDir, words, writeFiles } from './helpers.js';
import { png, wav } from './media.js';

let dir: string;
const DATE = ['--date', '2025-11-01'];

beforeAll(() => {
  dir = tempDir();
  writeFiles(dir, {
    'p1000.md': words(1000),
    'p100.txt': words(100),
    'chat.json': JSON.stringify([
      { role: 'system', content: words(10) },
      { role: 'user', content: words(20), name: 'ann' },
    ]),
    'requests.jsonl': `${JSON.stringify({ input: words(100) })}\n\n${JSON.stringify({ messages: [{ role: 'user', content: words(50) }] })}\n${JSON.stringify([{ role: 'user', content: words(7) }])}\n`,
    'bad.json': '[{"role": "user",\n  "content": "x",]',
    'bad.jsonl': `${JSON.stringify({ input: 'ok' })}\n{"input": \n`,
    'shape.json': '{"hello": 1}',
    'shot.png': png(1024, 768),
    'note.wav': wav(2.5),
    'not-image.png': 'plain text',
  });
});

describe('the fixtures are what the hand computations assume', () => {
  it('"word" + " word" × (n - 1) is n tokens in o200k_base and cl100k_base', () => {
    for (const enc of ['o200k_base', 'cl100k_base'] as const) for (const n of [1, 10, 100, 1000, 2000]) expect(oracle(enc).encode(words(n)).length).toBe(n);
  });
});

describe('tollgate count', () => {
  it('counts a text file exactly (o200k_base for gpt-4o) and says so', async () => {
    const r = await run(['count', join(dir, 'p1000.md')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1,000 tokens .*p1000\.md .*gpt-4o · o200k_base, exact/);
    const j = json(await run(['count', join(dir, 'p1000.md'), '--json']));
    expect(schemaErrors('count', j)).toBe('');
    expect(j).toMatchObject({ model: 'gpt-4o', total_tokens: 1000, exact: true, files: [{ kind: 'text', requests: 1, tokens: 1000, method: 'o200k_base' }] });
  });

  it('marks models without a public tokenizer as estimates (Claude: ceil(o200k × 1.2))', async () => {
    const j = json(await run(['count', join(dir, 'p1000.md'), '-m', 'claude-sonnet-4-5', '--json']));
    expect(j).toMatchObject({ total_tokens: 1200, exact: false, files: [{ method: 'claude-o200k-ratio', exact: false }] });
    const t = await run(['count', join(dir, 'p1000.md'), '-m', 'claude-sonnet-4-5']);
    expect(t.stdout).toMatch(/^~1,200 tokens .*an estimate/);
  });

  it('counts with an encoding, several files, and standard input', async () => {
    const j = json(await run(['count', join(dir, 'p1000.md'), join(dir, 'p100.txt'), '-e', 'cl100k_base', '--json']));
    expect(schemaErrors('count', j)).toBe('');
    expect(j).toMatchObject({ model: null, encoding: 'cl100k_base', total_tokens: 1100 });
    const table = await run(['count', join(dir, 'p1000.md'), join(dir, 'p100.txt')]);
    expect(table.stdout).toMatch(/Total \(2 files\)\s+2\s+1,100/);
    const stdin = json(await run(['count', '-', '--json'], { input: words(42) }));
    expect(stdin).toMatchObject({ total_tokens: 42, files: [{ file: '(stdin)' }] });
  });

  it('counts chat messages with the cookbook formula', async () => {
    // 3 per message + role + content (+ name: 1 + its tokens) + 3 reply priming:
    // (3 + 1 "system" + 10) + (3 + 1 "user" + 20 + 1 + 1 "ann") + 3 = 43
    expect(oracle('o200k_base').encode('ann').length).toBe(1);
    const j = json(await run(['count', join(dir, 'chat.json'), '--json']));
    expect(j).toMatchObject({ total_tokens: 43, files: [{ kind: 'chat', requests: 1, exact: true }] });
  });

  it('counts every line of a JSONL file (text, chat object, chat array)', async () => {
    // 100 (text) + (3 + 1 + 50 + 3) + (3 + 1 + 7 + 3) = 171
    const j = json(await run(['count', join(dir, 'requests.jsonl'), '--json']));
    expect(j).toMatchObject({ total_tokens: 171, files: [{ kind: 'jsonl', requests: 3 }] });
  });

  it('fails with one line and exit 2 on bad input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['count', join(dir, 'missing.md')], /missing\.md: no such file/],
      [['count'], /give a file to count, or - to read standard input/],
      [['count', join(dir, 'p100.txt'), '-m', 'gpt-4oo'], /Unknown model 'gpt-4oo'\. Did you mean .*'gpt-4o'/],
      [['count', join(dir, 'p100.txt'), '-e', 'o300k'], /Unknown encoding 'o300k'/],
      [['count', join(dir, 'bad.json')], /bad\.json:2: invalid JSON/],
      [['count', join(dir, 'bad.jsonl')], /bad\.jsonl:2: invalid JSON/],
      [['count', join(dir, 'shape.json')], /shape\.json: expected chat messages/],
      [['count', join(dir, 'chat.json'), '-e', 'o200k_base'], /chat messages are counted for a model/],
      [['count', join(dir, 'p100.txt'), '--modle', 'gpt-4o'], /unknown option '--modle'.*\(Did you mean --model\?\).*see 'tollgate count --help'/],
      [['count', dir], /is a directory/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
  });

  it('prints the error as JSON too with --json', async () => {
    const r = await run(['count', join(dir, 'missing.md'), '--json']);
    expect(r.code).toBe(2);
    expect(schemaErrors('error', json(r))).toBe('');
    expect(json(r)).toMatchObject({ error: { code: 'file_not_found' } });
  });
});

describe('tollgate estimate', () => {
  const est = async (...args: string[]): Promise<Record<string, any>> => {
    const r = await run(['estimate', ...args, ...DATE, '--json']);
    const j = json(r);
    expect(r.code, r.stderr).toBe(0);
    expect(schemaErrors('estimate', j)).toBe('');
    return j;
  };

  it('prices a prompt line by line', async () => {
    // 1000 × 2.50/M = 0.0025; 500 × 10/M = 0.005
    const j = await est(join(dir, 'p1000.md'), '-o', '500');
    expect(j.estimates[0]).toMatchObject({
      model: 'gpt-4o',
      input_tokens: 1000,
      output_tokens: 500,
      total: '0.0075',
      exact: true,
      lines: [
        { component: 'input', quantity: 1000, unit: 'token', unit_price: '0.0000025', cost: '0.0025' },
        { component: 'output', quantity: 500, unit: 'token', unit_price: '0.00001', cost: '0.005' },
      ],
    });
    const text = await run(['estimate', join(dir, 'p1000.md'), '-o', '500', ...DATE]);
    expect(text.stdout).toMatch(/input\s+1,000 tokens\s+\$2\.50\/1M tok\s+\$0\.0025/);
    expect(text.stdout).toMatch(/Total\s+\$0\.0075/);
  });

  it('prices cache reads, batch and several models (cheapest first)', async () => {
    // 600 × 2.50/M = 0.0015 + 400 cached × 1.25/M = 0.0005 + 0.005 = 0.007
    expect((await est(join(dir, 'p1000.md'), '-o', '500', '--cache-read', '400')).estimates[0].total).toBe('0.007');
    // Batch halves every price: 0.0075 / 2
    expect((await est(join(dir, 'p1000.md'), '-o', '500', '--batch')).estimates[0].total).toBe('0.00375');
    // gpt-4o-mini: 1000 × 0.15/M + 500 × 0.60/M = 0.00045
    const j = await est(join(dir, 'p1000.md'), '-o', '500', '--models', 'gpt-4o,gpt-4o-mini');
    expect(j.estimates.map((e: { model: string; total: string }) => [e.model, e.total])).toEqual([
      ['gpt-4o-mini', '0.00045'],
      ['gpt-4o', '0.0075'],
    ]);
  });

  it('prices Anthropic cache writes with a 1 h lifetime from --input-tokens', async () => {
    // 4000 plain × 3/M = 0.012; 4000 read × 0.30/M = 0.0012; 2000 written (1 h) × 6/M = 0.012; 500 out × 15/M = 0.0075
    const j = await est('--input-tokens', '10000', '-m', 'claude-sonnet-4-5', '--cache-read', '4000', '--cache-write', '2000', '--cache-ttl', '1h', '-o', '500');
    expect(j.estimates[0].total).toBe('0.0327');
    expect(j.estimates[0].lines.map((l: { component: string; cost: string }) => [l.component, l.cost])).toEqual([
      ['input', '0.012'],
      ['cache_read', '0.0012'],
      ['cache_write_1h', '0.012'],
      ['output', '0.0075'],
    ]);
  });

  it('reads image sizes and audio durations from the files', async () => {
    // 1024 × 768, high detail: 2 × 2 tiles of 512 → 85 + 4 × 170 = 765 tokens × 2.50/M = 0.0019125
    const hi = await est('--image', join(dir, 'shot.png'), '--detail', 'high');
    expect(hi.estimates[0]).toMatchObject({ input_tokens: 765, total: '0.0019125' });
    // low detail: the base 85 tokens = 0.0002125
    expect((await est('--image', join(dir, 'shot.png'), '--detail', 'low')).estimates[0].total).toBe('0.0002125');
    // 2.5 s of audio × 32 tokens/s = 80 tokens × 1.00/M = 0.00008 (plus the text's tokens × 0.30/M)
    const a = await est(join(dir, 'p100.txt'), '-m', 'gemini-2.5-flash', '--audio', join(dir, 'note.wav'));
    const lines = Object.fromEntries(a.estimates[0].lines.map((l: { component: string; quantity: number; cost: string }) => [l.component, [l.quantity, l.cost]]));
    expect(lines.audio_input).toEqual([80, '0.00008']);
    expect(a.estimates[0].exact).toBe(true); // Gemini 2.x text is counted exactly (gemma3)
  });

  it('prices a service tier, and shows the library\'s warnings (a retired model)', async () => {
    // gpt-5 flex: half of 1.25 $/MTok
    expect((await est('--input-tokens', '1000000', '-m', 'gpt-5', '--service-tier', 'flex')).estimates[0]).toMatchObject({ total: '0.625', service_tier: 'flex' });
    const tierless = await run(['estimate', '--input-tokens', '10', '-m', 'o3', '--service-tier', 'flex']);
    expect(tierless.code).toBe(2);
    expect(tierless.stderr.trimEnd()).toMatch(/^tollgate: --service-tier: o3 has no 'flex' service tier price; it offers standard, batch/);
    const retired = await run(['estimate', '--input-tokens', '1000', '-m', 'claude-3-opus', '--date', '2026-02-01']);
    expect(retired.code).toBe(0);
    expect(retired.stderr).toMatch(/^warning: claude-3-opus: claude-3-opus was retired on 2026-01-05/m);
    const j = json<{ estimates: Array<{ warnings: string[] }> }>(await run(['estimate', '--input-tokens', '1000', '-m', 'claude-3-opus', '--date', '2026-02-01', '--json']));
    expect(j.estimates[0].warnings.join(' ')).toMatch(/retired on 2026-01-05/);
  });

  it('sums the requests of a JSONL file', async () => {
    // 171 prompt tokens over 3 requests, 10 output tokens each: 171 × 2.50/M + 30 × 10/M = 0.0004275 + 0.0003
    const j = await est(join(dir, 'requests.jsonl'), '-o', '10');
    expect(j.requests).toBe(3);
    expect(j.estimates[0]).toMatchObject({ input_tokens: 171, output_tokens: 30, total: '0.0007275' });
  });

  it('fails with one line and exit 2 on bad input, naming the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['estimate'], /give a prompt file, - for standard input, or --input-tokens N/],
      [['estimate', join(dir, 'p100.txt'), '--cache-read', '500'], /--cache-read: 500 cache-read tokens exceed the 100 input tokens/],
      [['estimate', join(dir, 'p100.txt'), '--cache-hit-ratio', '2'], /option '--cache-hit-ratio <r>' argument '2' is invalid\. expected a number from 0 to 1/],
      [['estimate', join(dir, 'p100.txt'), '-o', '-5'], /argument '-5' is invalid/],
      [['estimate', join(dir, 'p100.txt'), '--date', '2025-02-30'], /expected a date YYYY-MM-DD/],
      [['estimate', join(dir, 'p100.txt'), '--models', 'gpt-4o,nope-model'], /Unknown model 'nope-model'/],
      [['estimate', join(dir, 'p100.txt'), '--input-tokens', '5'], /either a prompt file or --input-tokens/],
      [['estimate', '--image', join(dir, 'not-image.png')], /not-image\.png: cannot read the image size/],
      [['estimate', '--image', join(dir, 'nope.png')], /nope\.png: no such file/],
      [['estimate', '--input-tokens', '10', '--cache-ttl', '2h'], /argument '2h' is invalid\. Allowed choices are 5m, 30m, 1h, 12h/],
      [['estimate', join(dir, 'p100.txt'), '-m', 'whisper-1'], /whisper-1 is not priced by text/],
      [['estimate', '--input-tokens', '10', '-m', 'gpt-5-chat-latest', '--batch'], /--batch: /],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
