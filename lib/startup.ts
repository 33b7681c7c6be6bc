// Node.js server start-up: validate the environment, so a missing or
// malformed variable stops the server with a message naming it.
import { env, EnvError } from '@/lib/env';

try {
  env();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
