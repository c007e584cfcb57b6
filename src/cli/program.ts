/**
 * The command line: every command, its arguments, options, help text and examples, in one
 * place. Behaviour lives in commands/<name>.ts, loaded only when that command runs, so
 * `tollgate count` does not parse the code of `diff`.
 */
import { Command, Option } from 'commander';
import * as v from './options.js';

declare const __TOLLGATE_VERSION__: string;

/** What a command module exports: run with the parsed arguments, resolve to an exit code. */
export type Run = (...args: never[]) => Promise<number>;

/** Called by every action with the command's exit code. */
export type OnExit = (code: number) => void;

function examples(...lines: Array<[string, string]>): string {
  const width = Math.max(...lines.map(([c]) => c.length));
  return `\nExamples:\n${lines.map(([c, d]) => `  $ ${c.padEnd(width)}  # ${d}`).join('\n')}\n`;
}

const jsonOption = (): Option => new Option('--json', 'print JSON (schema: tollgate schema <command>)');
const configOption = (): Option => new Option('-c, --config <path>', 'project file (default: tollgate.yml, .yaml or .json in this directory)');
const dateOption = (): Option => new Option('--date <YYYY-MM-DD>', 'prices in force on this day (default: today, or `date` in the project file)').argParser(v.day);
const asOption = (): Option => new Option('--as <kind>', 'read the input as text, chat (JSON messages) or jsonl (one request per line); default: by file extension').choices(['text', 'chat', 'jsonl']);

/** Makes the action of a command: `act(name)` runs command module `name` with the parsed arguments. */
type Act = (name: string) => (...args: unknown[]) => Promise<void>;

/** Each top-level command (with its subcommands), added to the program by name. */
const COMMANDS: Record<string, (program: Command, act: Act) => void> = {
  count: (program, act) => {
    program
      .command('count')
      .description('count the tokens of prompt files (exact, or a labelled estimate for models without a public tokenizer)')
      .argument('[files...]', 'text, Markdown, JSON chat or JSONL files; - reads standard input')
      .option('-m, --model <id>', 'model whose tokenizer counts', 'gpt-4o')
      .option('-e, --encoding <name>', 'count with a tokenizer encoding instead (o200k_base, cl100k_base, …)')
      .addOption(asOption())
      .addOption(jsonOption())
      .addHelpText(
        'after',
        examples(
          ['tollgate count prompts/system.md', 'tokens for gpt-4o'],
          ['tollgate count chat.json -m claude-sonnet-4-5', 'chat messages, Claude (estimate, marked ~)'],
          ['cat prompt.txt | tollgate count - --json', 'standard input, JSON output'],
          ['tollgate count prompts/*.md -e cl100k_base', 'many files with one encoding'],
        ),
      )
      .action(act('count'));
  },
  estimate: (program, act) => {
    program
      .command('estimate')
      .description('price one request line by line: input, cache, output, images, audio')
      .argument('[file]', 'prompt file (text, JSON chat, JSONL: every line is priced and summed); - reads standard input')
      .option('-m, --model <id>', 'model to price with', 'gpt-4o')
      .option('--models <a,b,c>', 'compare several models (cheapest first)', v.list)
      .option('-o, --output-tokens <n>', 'expected output tokens (reasoning included)', v.count, 0)
      .option('--reasoning-tokens <n>', 'part of the output that is reasoning', v.count)
      .option('--input-tokens <n>', 'prompt tokens, instead of a file', v.count)
      .option('--cache-read <n>', 'input tokens read from the prompt cache', v.count)
      .option('--cache-write <n>', 'input tokens written to the prompt cache', v.count)
      .addOption(new Option('--cache-ttl <ttl>', 'lifetime of cache writes (Anthropic 5m / 1h, OpenAI 30m / 12h)').choices(['5m', '30m', '1h', '12h']))
      .option('--cache-hit-ratio <r>', 'fraction of the input read from the cache (instead of --cache-read)', v.ratio)
      .option('--batch', 'price at Batch API rates')
      .option('--service-tier <tier>', 'service tier: standard, flex, priority, batch, fast (or the request\'s service_tier value)')
      .option('--image <path>', 'an image sent with the request (repeatable); size read from the file', v.collect)
      .addOption(new Option('--detail <detail>', 'image detail').choices(['low', 'high', 'auto']).default('auto'))
      .option('--audio <path>', 'an audio file sent with the request (repeatable); duration read from the file', v.collect)
      .addOption(new Option('--date <when>', 'prices in force on this day (YYYY-MM-DD, default today) or at this time (2026-12-02T14:30Z, for time-of-day prices)').argParser(v.dayOrTime))
      .addOption(asOption())
      .addOption(jsonOption())
      .addHelpText(
        'after',
        examples(
          ['tollgate estimate prompt.md -o 500', 'gpt-4o, 500 output tokens'],
          ['tollgate estimate chat.json -m claude-sonnet-4-5 --cache-read 4000 --cache-write 2000 --cache-ttl 1h', 'with prompt caching'],
          ['tollgate estimate --input-tokens 12000 --models gpt-4o,gpt-4.1,gemini-2.5-pro -o 800', 'compare models'],
          ['tollgate estimate q.txt --image shot.png --detail high --audio note.wav -m gpt-4o', 'with an image and audio'],
        ),
      )
      .action(act('estimate'));
  },
  check: (program, act) => {
    program
      .command('check')
      .description('price the project file and fail (exit 1) when a budget is exceeded')
      .addOption(configOption())
      .option('--budget <usd>', 'most the project may cost (see --per)')
      .addOption(new Option('--per <period>', 'what --budget limits: the total per month, or each prompt per request').choices(['month', 'request']).default('month'))
      .option('--currency <code>', 'currency of --budget (prices are in USD)', 'USD')
      .addOption(dateOption())
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
      .addOption(jsonOption())
      .addHelpText(
        'after',
        `${examples(
          ['tollgate check --budget 500', 'total monthly cost must be at most $500'],
          ['tollgate check --budget 0.02 --per request', 'every prompt must cost at most $0.02 per request'],
          ['tollgate check -c ai/tollgate.yml --json', 'budgets from the file, JSON result'],
        )}
Budgets in the file: budget: { per_month: 500 } at the top level (the total) or on a prompt or in defaults
(that prompt), and per_request anywhere (each prompt).`,
      )
      .action(act('check'));
  },
  diff: (program, act) => {
    program
      .command('diff')
      .description('cost change between two git refs, as a Markdown table for a pull request')
      .option('--base <ref>', 'the ref before the change', 'main')
      .option('--head <ref>', 'the ref after the change', 'HEAD')
      .addOption(configOption())
      .addOption(dateOption())
      .addOption(new Option('--format <format>', 'output format').choices(['markdown', 'text', 'json']).default('markdown'))
      .option('--fail-on-increase-percent <p>', 'exit 1 when the monthly total grows by more than p percent', v.nonNegative)
      .option('--base-label <name>', 'name the base in the output (e.g. the branch, when --base is a commit)')
      .option('--head-label <name>', 'name the head in the output')
      .addOption(jsonOption())
      .addHelpText(
        'after',
        `${examples(
          ['tollgate diff --base main --head HEAD', 'Markdown for a PR comment'],
          ['tollgate diff --base origin/main --format text', 'a table for the terminal'],
          ['tollgate diff --base v1.2.0 --head v1.3.0 --json', 'between two tags, JSON'],
          ['tollgate diff --fail-on-increase-percent 10', 'exit 1 on more than +10%/month'],
        )}
Both refs are read through git (no checkout): uncommitted changes are not part of the diff.`,
      )
      .action(act('diff'));
  },
  export: (program, act) => {
    program
      .command('export')
      .description('projected monthly costs as FOCUS 1.2 rows, CSV or JSON, for FinOps dashboards')
      .addOption(new Option('--format <format>', 'focus: FOCUS 1.2 CSV; csv: one row per prompt; json: FOCUS rows as JSON').choices(['focus', 'csv', 'json']).default('focus'))
      .option('--tag <key=value>', 'tag every row (repeatable; adds to the file\'s tags)', v.tag)
      .addOption(configOption())
      .option('--month <YYYY-MM>', 'the charge period (default: this month, UTC)', v.month)
      .addOption(dateOption())
      .addOption(jsonOption())
      .addHelpText(
        'after',
        examples(
          ['tollgate export > focus.csv', 'FOCUS 1.2 CSV for this month'],
          ['tollgate export --format csv --tag env=prod', 'a per-prompt summary, tagged'],
          ['tollgate export --json --month 2026-01', 'FOCUS rows as JSON for January 2026'],
        ),
      )
      .action(act('export'));
  },
  pricing: (program, act) => {
    const pricing = program
      .command('pricing')
      .description('the pricing table: list models, show one, install a signed update')
      .addHelpText(
        'after',
        examples(
          ['tollgate pricing list --provider anthropic', 'models and prices'],
          ['tollgate pricing show gpt-4o', 'one model, and which table is in use'],
          ['tollgate pricing check', 'compare with an independent price list, find stale entries'],
          ['tollgate pricing update --from https://example.com/pricing.json --signature pricing.json.sig --public-key $KEY', 'install a signed table'],
        ),
      );
    pricing
      .command('list')
      .description('models and their prices (USD per million tokens)')
      .option('--provider <id>', 'only this provider (openai, anthropic, google, …)')
      .addOption(jsonOption())
      .addHelpText('after', examples(['tollgate pricing list', 'every model'], ['tollgate pricing list --provider openai --json', 'one provider, JSON']))
      .action(act('pricing-list'));
    pricing
      .command('show')
      .description('which pricing table and version is in use, and one model\'s prices and history')
      .argument('[model]', 'model id or alias')
      .addOption(jsonOption())
      .addHelpText('after', examples(['tollgate pricing show', 'the table in use'], ['tollgate pricing show claude-sonnet-4-5', 'one model']))
      .action(act('pricing-show'));
    pricing
      .command('update')
      .description('verify an Ed25519-signed pricing table and install it for later runs (a failed check keeps the old one)')
      .requiredOption('--from <path-or-url>', 'the signed pricing.json')
      .requiredOption('--signature <sig>', 'its signature: base64, or a path or URL of the .sig file')
      .option('--public-key <key>', 'trusted Ed25519 public key, base64 (or TOLLGATE_PRICING_PUBLIC_KEY)')
      .addOption(jsonOption())
      .addHelpText(
        'after',
        `${examples(
          ['tollgate pricing update --from pricing.json --signature pricing.json.sig --public-key MCow…', 'from files'],
          ['tollgate pricing update --from https://prices.example.com/pricing.json --signature https://prices.example.com/pricing.json.sig', 'from a URL (key from TOLLGATE_PRICING_PUBLIC_KEY)'],
        )}
The table is installed in the user cache directory (TOLLGATE_CACHE_DIR, else $XDG_CACHE_HOME/tollgate or
~/.cache/tollgate) and verified again on every run; 'tollgate pricing reset' removes it.`,
      )
      .action(act('pricing-update'));
    pricing
      .command('check')
      .description('compare the table in use with the independent @pydantic/genai-prices data and list stale entries (exit 1 on an unexplained disagreement)')
      .option('--max-age <days>', 'entries checked longer ago than this are stale', v.count, 90)
      .addOption(dateOption())
      .addOption(jsonOption())
      .addHelpText('after', examples(['tollgate pricing check', 'today, entries older than 90 days are stale'], ['tollgate pricing check --max-age 30 --json', 'stricter, JSON']))
      .action(act('pricing-check'));
    pricing
      .command('reset')
      .description('remove the installed pricing update (back to the built-in table)')
      .addOption(jsonOption())
      .addHelpText('after', examples(['tollgate pricing reset', 'use the built-in table again']))
      .action(act('pricing-reset'));
  },
  stats: (program, act) => {
    program
      .command('stats')
      .description('usage and cost from a running Tollgate proxy (its usage API), e.g. daily totals for a pipeline')
      .option('--url <url>', 'the proxy\'s base URL (or TOLLGATE_URL)')
      .option('--key <key>', 'API key (or TOLLGATE_KEY; safer than a flag)')
      .option('--date <YYYY-MM-DD>', 'the day, UTC (default: today)', v.day)
      .option('--by <group>', 'group by day, model, key, user, provider, route or tag:<name>', 'day')
      .option('--daily-limit <usd>', 'exit 1 when the day\'s cost is above this')
      .option('--timeout <seconds>', 'give up after this long', v.nonNegative, 30)
      .addOption(jsonOption())
      .addHelpText(
        'after',
        examples(
          ['TOLLGATE_KEY=tg-… tollgate stats --url https://llm.example.com', 'today\'s totals'],
          ['tollgate stats --url http://localhost:8787 --by model --date 2026-12-01', 'one day by model'],
          ['tollgate stats --url $URL --by tag:team --daily-limit 10.00', 'exit 1 above $10 today'],
        ),
      )
      .action(act('stats'));
  },
  schema: (program, act) => {
    program
      .command('schema')
      .description('print the JSON Schema of a command\'s --json output, or of the project file (config)')
      .argument('[name]', 'count, estimate, check, diff, export, pricing-list, pricing-show, pricing-update, pricing-reset, stats, error or config')
      .addHelpText('after', examples(['tollgate schema', 'list the schemas'], ['tollgate schema diff > diff.schema.json', 'the diff output\'s schema'], ['tollgate schema config', 'the project file\'s schema']))
      .action(act('schema'));
  },
};

/**
 * Builds the program; `load(name)` imports a command module and runs it. When `argv` starts
 * with a command's name, only that command is defined: it parses, helps and fails exactly as
 * in the full program (commander looks at no sibling to parse a subcommand), and `tollgate
 * count` does not build the 60-odd options and help texts of the others (~8M instructions
 * of its start-up). Anything else (--help, help, a typo) gets every command.
 */
export function buildProgram(load: (command: string, args: unknown[]) => Promise<void>, argv: readonly string[] = []): Command {
  const program = new Command('tollgate')
    .description('Token counts and exact LLM costs for prompts, projects and pull requests.')
    .version(__TOLLGATE_VERSION__, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText(
      'after',
      `${examples(
        ['tollgate count prompt.md --model gpt-4o', 'tokens of a prompt'],
        ['tollgate estimate chat.json --models gpt-4o,claude-sonnet-4-5 -o 500', 'cost of one request on two models'],
        ['tollgate check --budget 500 --per month', 'fail (exit 1) when the project costs more than $500/month'],
        ['tollgate diff --base main --head HEAD', 'Markdown cost diff of a branch, for a PR comment'],
        ['tollgate export --format focus > costs.csv', 'projected monthly costs as FOCUS 1.2 rows'],
      )}
Exit codes: 0 ok · 1 a policy failed (budget, limit, increase) · 2 usage or input error.
Project file: tollgate.yml (schema: tollgate schema config). Docs: README, "Command line".`,
    );

  const act: Act =
    (name) =>
    async (...args) =>
      load(name, args.slice(0, -1)); // commander passes the Command last
  const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? [argv[0]] : Object.keys(COMMANDS);
  for (const name of named) COMMANDS[name]!(program, act);
  return program;
}
