// Vitest runs server modules outside React Server Components; 'server-only' has nothing to guard there.
export {};
