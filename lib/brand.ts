/** The product's name, where the app shows it and where Stripe's pages show the business (checkout, portal). */
export const APP_NAME = 'Tollgate';
