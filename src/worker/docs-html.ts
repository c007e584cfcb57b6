/**
 * Renders an OpenAPI 3.1 document as one self-contained HTML page: inline CSS, no scripts,
 * no external requests, so it works offline and under a strict CSP.
 */

export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject | SchemaObject[];
  prefixItems?: SchemaObject[];
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  additionalProperties?: boolean | SchemaObject;
}

interface MediaType {
  schema?: SchemaObject;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: SchemaObject }[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaType> }>;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Inline `code` spans in descriptions (the only markdown used in them). */
const prose = (s: string | undefined) => (s ? esc(s).replace(/`([^`]+)`/g, '<code>$1</code>') : '');

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const anchor = (name: string) => `schema-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function typeLabel(s: SchemaObject | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return `<a href="#${anchor(refName(s.$ref))}">${esc(refName(s.$ref))}</a>`;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeLabel).join(' | ');
  if (s.allOf) return s.allOf.map(typeLabel).join(' &amp; ');
  if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
  if (s.enum) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return (
    types
      .map((t) => {
        if (t === 'array') {
          if (s.prefixItems) return `[${s.prefixItems.map(typeLabel).join(', ')}]`;
          return `${typeLabel(Array.isArray(s.items) ? s.items[0] : s.items)}[]`;
        }
        return esc(t);
      })
      .join(' | ') || (s.properties ? 'object' : 'any')
  );
}

function constraints(s: SchemaObject): string {
  const c: string[] = [];
  if (s.minimum !== undefined) c.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) c.push(`≤ ${s.maximum}`);
  if (s.minItems !== undefined) c.push(`at least ${s.minItems} items`);
  if (s.maxItems !== undefined) c.push(`at most ${s.maxItems} items`);
  if (s.maxLength !== undefined) c.push(`at most ${s.maxLength} chars`);
  return c.length ? ` <span class="muted">(${esc(c.join(', '))})</span>` : '';
}

function resolve(doc: OpenApiDocument, s: SchemaObject | undefined): SchemaObject | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 16; i++) cur = doc.components?.schemas?.[refName(cur.$ref)];
  return cur;
}

function fieldsTable(doc: OpenApiDocument, schema: SchemaObject | undefined): string {
  const s = resolve(doc, schema);
  if (!s?.properties) return schema ? `<p>Type: ${typeLabel(schema)}</p>` : '';
  const required = new Set(s.required ?? []);
  const rows = Object.entries(s.properties)
    .map(([name, p]) => {
      const r = resolve(doc, p) ?? p;
      const desc = p.description ?? r.description;
      return `<tr><td><code>${esc(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${typeLabel(p)}${constraints(r)}</td><td>${prose(desc)}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** An example value built from the schema's examples (depth-limited). */
function example(doc: OpenApiDocument, schema: SchemaObject | undefined, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (!s || depth > 4) return undefined;
  if (s.example !== undefined) return s.example;
  if (s.properties) {
    const out: Record<string, unknown> = {};
    const req = new Set(s.required ?? []);
    for (const [k, p] of Object.entries(s.properties)) {
      const v = (resolve(doc, p) ?? p).example ?? (req.has(k) ? example(doc, p, depth + 1) : undefined);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return undefined;
}

function operationHtml(doc: OpenApiDocument, path: string, method: string, op: Operation): string {
  const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
  const parts: string[] = [];
  parts.push(`<section class="op" id="${esc(id)}"><h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>`);
  if (op.summary) parts.push(`<p class="summary">${prose(op.summary)}</p>`);
  if (op.description) parts.push(`<p>${prose(op.description)}</p>`);
  if (op.parameters?.length) {
    parts.push('<h4>Parameters</h4><table><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>');
    for (const p of op.parameters)
      parts.push(`<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${typeLabel(p.schema)}</td><td>${prose(p.description ?? p.schema?.description)}</td></tr>`);
    parts.push('</tbody></table>');
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body) {
    parts.push(`<h4>Request body</h4>${resolve(doc, body)?.description ? `<p>${prose(resolve(doc, body)!.description)}</p>` : ''}${fieldsTable(doc, body)}`);
    const ex = example(doc, body);
    if (ex !== undefined)
      parts.push(`<h4>Example</h4><pre>curl -X ${esc(method.toUpperCase())} "$TOLLGATE${esc(path)}" \\\n  -H 'content-type: application/json' \\\n  -d '${esc(JSON.stringify(ex))}'</pre>`);
  } else if (method === 'get') {
    parts.push(`<h4>Example</h4><pre>curl "$TOLLGATE${esc(path.replace(/\{id\}/, 'gpt-4o'))}"</pre>`);
  }
  parts.push('<h4>Responses</h4><table><thead><tr><th>Status</th><th>Description</th><th>Body</th></tr></thead><tbody>');
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const schema = r.content?.['application/json']?.schema ?? r.content?.['text/html']?.schema;
    parts.push(`<tr><td><code>${esc(status)}</code></td><td>${prose(r.description)}</td><td>${schema ? typeLabel(schema) : ''}</td></tr>`);
  }
  parts.push('</tbody></table></section>');
  return parts.join('\n');
}

const CSS = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#6a737d;--line:#d8dee4;--code:#f3f5f7;--accent:#0b6bcb}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#8b949e;--line:#30363d;--code:#161b22;--accent:#4493f8}}
*{box-sizing:border-box}body{margin:0;font:15px/1.55 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg)}
.wrap{display:flex;max-width:1200px;margin:0 auto}nav{flex:0 0 240px;padding:24px 16px;position:sticky;top:0;align-self:flex-start;max-height:100vh;overflow:auto;font-size:14px}
nav a{display:block;color:var(--fg);text-decoration:none;padding:2px 0}nav a:hover{color:var(--accent)}nav h2{font-size:12px;text-transform:uppercase;color:var(--muted);margin:16px 0 4px}
main{flex:1;min-width:0;padding:24px}h1{margin-top:0}a{color:var(--accent)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}code{background:var(--code);padding:1px 4px;border-radius:4px}
pre{background:var(--code);padding:12px;border-radius:6px;overflow:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:14px}th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}th{background:var(--code)}
.op{border-top:1px solid var(--line);padding-top:8px;margin-top:24px}.method{display:inline-block;min-width:56px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px;vertical-align:middle}
.method.get{background:#1f883d}.method.post{background:#0b6bcb}.method.delete{background:#cf222e}.method.put,.method.patch{background:#9a6700}
.req{color:#cf222e;font-size:12px}.muted{color:var(--muted)}.summary{font-weight:600}
@media (max-width:800px){.wrap{display:block}nav{position:static;max-height:none;border-bottom:1px solid var(--line)}}
`;

export function renderDocs(doc: OpenApiDocument): string {
  const ops: { tag: string; path: string; method: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}))
    for (const [method, op] of Object.entries(item)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) ops.push({ tag: op.tags?.[0] ?? 'Other', path, method, op });
  const tags = [...(doc.tags ?? []).map((t) => t.name), ...ops.map((o) => o.tag)].filter((t, i, a) => a.indexOf(t) === i && ops.some((o) => o.tag === t));
  const tagInfo = new Map((doc.tags ?? []).map((t) => [t.name, t.description]));
  const id = (o: { path: string; method: string }) => `${o.method}-${o.path}`.replace(/[^A-Za-z0-9]+/g, '-');
  const schemas = Object.entries(doc.components?.schemas ?? {});

  const nav = [
    ...tags.map((t) => `<h2>${esc(t)}</h2>${ops.filter((o) => o.tag === t).map((o) => `<a href="#${esc(id(o))}">${esc(o.method.toUpperCase())} ${esc(o.path)}</a>`).join('')}`),
    `<h2>Schemas</h2>${schemas.map(([n]) => `<a href="#${anchor(n)}">${esc(n)}</a>`).join('')}`,
  ].join('');
  const body = [
    `<h1>${esc(doc.info.title)} <span class="muted">${esc(doc.info.version)}</span></h1>`,
    `<p>${prose(doc.info.description)}</p>`,
    `<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${esc(doc.openapi)}). In the examples, <code>$TOLLGATE</code> is this server's origin.</p>`,
    ...tags.map((t) => `<h2>${esc(t)}</h2>${tagInfo.get(t) ? `<p>${prose(tagInfo.get(t))}</p>` : ''}${ops.filter((o) => o.tag === t).map((o) => operationHtml(doc, o.path, o.method, o.op)).join('\n')}`),
    `<h2>Schemas</h2>`,
    ...schemas.map(([n, s]) => `<section id="${anchor(n)}"><h3><code>${esc(n)}</code></h3>${s.description ? `<p>${prose(s.description)}</p>` : ''}${fieldsTable(doc, s)}</section>`),
  ].join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(doc.info.title)} reference</title><style>${CSS}</style></head><body><div class="wrap"><nav><strong>${esc(doc.info.title)}</strong>${nav}</nav><main>${body}</main></div></body></html>`;
}
