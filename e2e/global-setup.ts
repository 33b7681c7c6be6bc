// Placeholder: replaced by the full stack start-up (PostgreSQL, emulator, next start).
export default async function globalSetup(): Promise<void> {}
