/** Parsing the chat box: a JSON array of messages (or an object with `messages`). */

export interface ChatMessage {
  role: string;
  name?: string;
  content: unknown;
}

export type ChatParse = { ok: true; messages: ChatMessage[] } | { ok: false; error: string };

/** The text of a message's content: a string, or the text parts of a content array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join('');
  }
  return '';
}

export function parseChat(json: string): ChatParse {
  if (json.trim() === '') return { ok: true, messages: [] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `Invalid JSON: ${(e as Error).message}` };
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { messages?: unknown }).messages)) {
    value = (value as { messages: unknown[] }).messages;
  }
  if (!Array.isArray(value)) return { ok: false, error: 'Expected a JSON array of messages, e.g. [{"role": "user", "content": "Hi"}]' };
  for (let i = 0; i < value.length; i++) {
    const m = value[i] as Partial<ChatMessage> | null;
    if (!m || typeof m !== 'object') return { ok: false, error: `messages[${i}] must be an object` };
    if (typeof m.role !== 'string') return { ok: false, error: `messages[${i}].role must be a string` };
    if (m.name !== undefined && typeof m.name !== 'string') return { ok: false, error: `messages[${i}].name must be a string` };
    if (m.content !== undefined && m.content !== null && typeof m.content !== 'string' && !Array.isArray(m.content)) {
      return { ok: false, error: `messages[${i}].content must be a string or an array of parts` };
    }
  }
  return { ok: true, messages: value as ChatMessage[] };
}
