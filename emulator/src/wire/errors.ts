/** Stripe's error object, as it appears under `error` in a response body. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error' | 'authentication_error';
  message: string;
  code?: string;
  decline_code?: string;
  advice_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
}

/**
 * An error answer. `validation` marks errors raised while reading parameters: Stripe does not
 * save those under an idempotency key (the endpoint never started executing).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly validation = false,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

function docUrl(code: string | undefined): string | undefined {
  return code ? `https://docs.stripe.com/error-codes/${code.replaceAll('_', '-')}` : undefined;
}

export function invalidRequest(
  message: string,
  options: { param?: string; code?: string; status?: number; validation?: boolean } = {},
): ApiError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (options.code) body.code = options.code;
  const doc = docUrl(options.code);
  if (doc) body.doc_url = doc;
  if (options.param) body.param = options.param;
  return new ApiError(options.status ?? 400, body, options.validation ?? false);
}

/** A parameter problem found before anything ran. */
export function paramError(message: string, param: string, code?: string): ApiError {
  return invalidRequest(message, { param, code, validation: true });
}

/** "No such customer: 'cus_x'": 404 for the object in the URL, 400 for one named in a parameter. */
export function resourceMissing(noun: string, id: string, param: string, status = 400): ApiError {
  return invalidRequest(`No such ${noun}: '${id}'`, {
    param,
    code: 'resource_missing',
    status,
    validation: status === 400,
  });
}

export function unexpectedState(message: string): ApiError {
  return invalidRequest(message, { code: 'payment_intent_unexpected_state' });
}

export function cardError(fields: Omit<StripeErrorBody, 'type'>): ApiError {
  return new ApiError(402, { type: 'card_error', doc_url: docUrl(fields.code), ...fields });
}

export function idempotencyError(status: 400 | 409, message: string): ApiError {
  return new ApiError(status, { type: 'idempotency_error', message }, true);
}

export function authenticationError(message: string): ApiError {
  return new ApiError(401, { type: 'invalid_request_error', message }, true, {
    'WWW-Authenticate': 'Bearer realm="Stripe"',
  });
}
