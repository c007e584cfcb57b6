/** Every JSON Schema the CLI ships, by the name `tollgate schema NAME` takes. */
import { OUTPUT_SCHEMAS } from './outputs.js';
import { projectSchema } from './project.js';

export const SCHEMAS: Record<string, Record<string, unknown>> = { ...OUTPUT_SCHEMAS, config: projectSchema };
