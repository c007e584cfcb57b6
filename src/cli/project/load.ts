/** Finding and reading the project file in a source (the working tree or a git ref). */
import { CliError } from '../errors.js';
import { parseProject, PROJECT_FILES, type Project } from './config.js';
import type { ProjectSource } from './sources.js';

export interface LoadedProject {
  project: Project;
  /** Source-relative path of the project file. */
  path: string;
}

/**
 * The project file named by `--config` (relative to the current directory) or found under
 * its default names; undefined when there is none.
 */
export async function findProject(source: ProjectSource, config?: string): Promise<LoadedProject | undefined> {
  const candidates = config ? [config] : [...PROJECT_FILES];
  for (const c of candidates) {
    const path = source.fromCwd(c);
    const bytes = await source.read(path);
    if (!bytes) continue;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new CliError(`${source.describe(path)}: not UTF-8 text`, 'invalid_config');
    }
    return { project: parseProject(text, source.describe(path)), path };
  }
  return undefined;
}

/** Like {@link findProject}, but a missing file is an error saying what was looked for. */
export async function loadProject(source: ProjectSource, config?: string): Promise<LoadedProject> {
  const found = await findProject(source, config);
  if (found) return found;
  throw new CliError(
    config
      ? `${source.describe(source.fromCwd(config))}: no such file`
      : `no project file here: create tollgate.yml (see 'tollgate schema config'), or pass --config PATH`,
    'config_not_found',
  );
}
