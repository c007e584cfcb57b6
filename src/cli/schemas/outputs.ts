export const OUTPUT_SCHEMAS: Record<string, Record<string, unknown>> = {};
