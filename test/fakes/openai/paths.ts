/**
 * OpenAI-compatible hosts serve the same endpoints under different prefixes: OpenAI and most
 * hosts `/v1/…`, Groq `/openai/v1/…`, OpenRouter `/api/v1/…`, Fireworks `/inference/v1/…`,
 * DeepSeek also without one. The fake accepts any prefix (the recorded `path` shows which one
 * a client used).
 */
export function openaiPath(endpoint: string): RegExp {
  return new RegExp(`^(?:/[\\w.-]+)*/${endpoint.replace('/', '\\/')}$`);
}
