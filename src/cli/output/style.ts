/**
 * Terminal colour, only where a person is looking: on a TTY, unless NO_COLOR is set or TERM is
 * "dumb"; FORCE_COLOR (non-"0") turns it on anywhere. Pipes, files and CI logs get plain text.
 */

/** ANSI styles used by the tables and messages. */
export type StyleName = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const CODES: Record<StyleName, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** Applies styles to text, or returns it unchanged when colour is off. */
export interface Style {
  readonly enabled: boolean;
  (name: StyleName | undefined, text: string): string;
}

/** Whether colour belongs on `stream` (see the module comment). */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** A style function for `stream`. */
export function styleFor(stream: { isTTY?: boolean }): Style {
  const enabled = colourWanted(stream);
  const fn = ((name: StyleName | undefined, text: string) => {
    if (!enabled || !name || text === '') return text;
    const [on, off] = CODES[name];
    return `\x1b[${on}m${text}\x1b[${off}m`;
  }) as Style;
  Object.defineProperty(fn, 'enabled', { value: enabled });
  return fn;
}
