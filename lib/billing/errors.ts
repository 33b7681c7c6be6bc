/** An error with an HTTP status and a message that is safe to show the caller (the detail goes to logs). */
export class BillingError extends Error {
  constructor(
    public readonly status: number,
    public readonly publicMessage: string,
    detail?: string,
  ) {
    super(detail ?? publicMessage);
    this.name = 'BillingError';
  }
}
