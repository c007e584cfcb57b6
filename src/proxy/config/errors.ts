/** A configuration that cannot be used: 400 naming the field when an operator writes it. */
import { ApiError } from '../../worker/errors.js';

export class ConfigError extends ApiError {
  override name = 'ConfigError';
  constructor(message: string, param: string | null = null) {
    super(400, message, 'invalid_request_error', param, 'invalid_config');
  }
}
