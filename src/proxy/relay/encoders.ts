/** The stream encoder for a client format and upstream wire (events pass through when they match). */
import type { ParsedChat } from '../request.js';
import { AnthropicEncoder, AnthropicPassthrough } from '../translate/anthropic-stream.js';
import { OpenAIEncoder } from '../translate/openai-stream.js';
import type { StreamEncoder } from '../translate/stream-types.js';
import type { Wire } from '../providers/types.js';

export function encoderFor(req: ParsedChat, wire: Wire | 'replay', requestId: string, promptTokens: number): StreamEncoder {
  if (req.clientFormat === 'anthropic') {
    if (wire === 'anthropic') return new AnthropicPassthrough();
    return new AnthropicEncoder(req.model, `msg_${requestId.replace(/^req_/, '')}`, promptTokens);
  }
  return new OpenAIEncoder(req.includeUsage, wire === 'openai', { id: `chatcmpl-${requestId}`, model: req.model, created: Math.floor(Date.now() / 1000) });
}
