/** Errors the core throws; each names what was wrong and how to fix it. */

/** A name (encoding, model) that Tollgate does not know; `suggestions` are the closest known names. */
export class UnknownNameError extends Error {
  readonly kind: 'encoding' | 'model';
  readonly requested: string;
  readonly suggestions: string[];
  constructor(kind: 'encoding' | 'model', requested: string, suggestions: string[], known?: string[]) {
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
    const list = known ? ` Valid ${kind}s: ${known.join(', ')}.` : '';
    super(`Unknown ${kind} '${requested}'.${hint}${list}`);
    this.name = 'UnknownNameError';
    this.kind = kind;
    this.requested = requested;
    this.suggestions = suggestions;
  }
}

/** Text contained a special token that the caller did not allow. */
export class DisallowedSpecialTokenError extends Error {
  readonly token: string;
  constructor(token: string) {
    super(
      `The text contains the special token '${token}', which is not allowed. ` +
        `Pass { allowedSpecial: ['${token}'] } (or 'all') to encode it as a special token, ` +
        `or use encodeOrdinary() to encode it as plain text.`,
    );
    this.name = 'DisallowedSpecialTokenError';
    this.token = token;
  }
}
