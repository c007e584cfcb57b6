/**
 * What a stream has delivered so far, assembled from its internal chunks: the text to count
 * when the provider reports no usage (content, tool-call names and arguments, reasoning), the
 * choices that finished, and the whole completion (for the response cache).
 */
import type { ChatChunk, ChatCompletion, ChatToolCall, FinishReason } from '../translate/openai-types.js';

interface ChoiceState {
  content: string;
  reasoning: string;
  calls: ChatToolCall[];
  finish: FinishReason;
}

export class OutputTally {
  private readonly choices = new Map<number, ChoiceState>();
  id = '';
  model = '';
  created = 0;
  /** ms timestamp of the first content, tool call or reasoning delta. */
  firstTokenAt: number | undefined;

  add(chunk: ChatChunk): void {
    if (!this.id && chunk.id) {
      this.id = chunk.id;
      this.model = chunk.model;
      this.created = chunk.created;
    }
    for (const c of chunk.choices ?? []) {
      let s = this.choices.get(c.index);
      if (!s) this.choices.set(c.index, (s = { content: '', reasoning: '', calls: [], finish: null }));
      const d = c.delta ?? {};
      if (typeof d.content === 'string' && d.content) {
        s.content += d.content;
        this.firstTokenAt ??= Date.now();
      }
      if (typeof d.reasoning_content === 'string' && d.reasoning_content) {
        s.reasoning += d.reasoning_content;
        this.firstTokenAt ??= Date.now();
      }
      for (const tc of d.tool_calls ?? []) {
        this.firstTokenAt ??= Date.now();
        const call = (s.calls[tc.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.function.name += tc.function.name;
        if (tc.function?.arguments) call.function.arguments += tc.function.arguments;
      }
      if (c.finish_reason) s.finish = c.finish_reason;
    }
  }

  /** Every expected choice has a finish reason. */
  finished(n: number): boolean {
    if (this.choices.size < n) return false;
    for (const s of this.choices.values()) if (!s.finish) return false;
    return true;
  }

  /** All generated text, for counting. */
  text(): string {
    let t = '';
    for (const s of this.choices.values()) {
      t += s.reasoning + s.content;
      for (const c of s.calls) if (c) t += c.function.name + c.function.arguments;
    }
    return t;
  }

  /** The stream as one completion (for the response cache). */
  completion(): ChatCompletion {
    const choices = [...this.choices.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([index, s]) => {
        const calls = s.calls.filter(Boolean);
        return {
          index,
          message: { role: 'assistant' as const, content: s.content || (calls.length ? null : ''), ...(calls.length ? { tool_calls: calls } : {}), refusal: null },
          finish_reason: s.finish ?? 'stop',
          logprobs: null,
        };
      });
    return { id: this.id, object: 'chat.completion', created: this.created, model: this.model, choices };
  }
}

/** The text of a non-streaming completion, for counting. */
export function completionText(c: ChatCompletion): string {
  let t = '';
  for (const ch of c.choices ?? []) {
    const m = ch.message;
    if (typeof m?.content === 'string') t += m.content;
    if (typeof m?.reasoning_content === 'string') t += m.reasoning_content;
    for (const tc of m?.tool_calls ?? []) t += tc.function.name + tc.function.arguments;
  }
  return t;
}
