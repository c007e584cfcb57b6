/**
 * Runs action.yml's composite steps the way the GitHub runner does, on this machine: each
 * `run` script with `bash --noprofile --norc -eo pipefail`, its `env` and `working-directory`
 * evaluated from `${{ }}` expressions (inputs with their defaults, the github context, earlier
 * steps' outputs), step outputs read from GITHUB_OUTPUT files, and the first failing step
 * ending the run. Only the expression forms action.yml uses are supported (dotted paths), and
 * a step using anything else (`uses`, `if`) fails the test, so the file stays runnable here.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ROOT, runCommand, tempDir } from './helpers.js';

interface Step {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
  uses?: string;
  if?: string;
}

interface ActionFile {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

export interface ActionRun {
  /** Exit code of the last step run (0 when all passed). */
  code: number;
  /** Step names that ran, in order. */
  steps: string[];
  /** The action's outputs. */
  outputs: Record<string, string>;
  /** Everything the steps printed. */
  log: string;
  summary: string;
}

/** Parses `name=value` lines and `name<<EOF … EOF` blocks of a GITHUB_OUTPUT file. */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(l);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (l.includes('=')) out[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
  }
  return out;
}

/**
 * Runs the action in `workspace` (a git repository) for a pull_request event.
 * @param inputs the `with:` values
 * @param github the github context (event, repository, base_ref, …)
 * @param env the runner's environment (GITHUB_API_URL, …)
 */
export async function runAction(workspace: string, inputs: Record<string, string>, github: Record<string, unknown>, env: Record<string, string>): Promise<ActionRun> {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionFile;
  if (action.runs.using !== 'composite') throw new Error('action.yml must be a composite action');
  const runnerTemp = tempDir('tollgate-runner-');
  const summary = join(runnerTemp, 'summary.md');
  writeFileSync(summary, '');
  const ctx = { github: { ...github, action_path: ROOT, token: 'ghs_default' }, inputs: {} as Record<string, string>, steps: {} as Record<string, { outputs: Record<string, string> }>, runner: { temp: runnerTemp } };
  const lookup = (path: string): string => {
    let v: unknown = ctx;
    for (const seg of path.split('.')) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[seg];
    return v === undefined || v === null ? '' : String(v);
  };
  const evaluate = (s: string): string =>
    s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (!/^[\w.-]+$/.test(expr)) throw new Error(`unsupported expression in action.yml: ${expr}`);
      return lookup(expr);
    });
  for (const [name, def] of Object.entries(action.inputs)) ctx.inputs[name] = inputs[name] ?? evaluate(def.default ?? '');
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`action.yml has no input '${name}'`);

  const result: ActionRun = { code: 0, steps: [], outputs: {}, log: '', summary: '' };
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.uses || step.if || step.shell !== 'bash' || !step.run) throw new Error(`step ${step.name ?? i} is not a plain bash step`);
    const outFile = join(runnerTemp, `output-${i}`);
    writeFileSync(outFile, '');
    const script = join(runnerTemp, `step-${i}.sh`);
    writeFileSync(script, step.run);
    const stepEnv: Record<string, string> = { ...env, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: runnerTemp, GITHUB_ACTION_PATH: ROOT };
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = evaluate(String(v));
    const cwd = resolve(workspace, evaluate(step['working-directory'] ?? '.'));
    const r = await runCommand('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env: stepEnv, timeoutMs: 120_000 });
    result.steps.push(step.name ?? String(i));
    result.log += r.stdout + r.stderr;
    if (step.id) ctx.steps[step.id] = { outputs: readOutputs(outFile) };
    if (r.code !== 0) {
      result.code = r.code ?? -1;
      break;
    }
  }
  for (const [name, o] of Object.entries(action.outputs)) result.outputs[name] = evaluate(o.value);
  result.summary = readFileSync(summary, 'utf8');
  appendFileSync(summary, ''); // keep the file for debugging until the temp dir is removed
  return result;
}
