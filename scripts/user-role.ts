// `npm run user:role -- <email> <admin|finance|user>`: give an existing account
// a role (audited as role.changed via "cli"). This is how a deployment gets its
// first admin: sign up, then run this against the production database.
// Taking a role away also ends that user's sessions.
import nextEnv from '@next/env';
import { projectRoot } from './lib/schema-engine';

nextEnv.loadEnvConfig(projectRoot);
const [email, role] = process.argv.slice(2);
const { roleSchema, setRoleByEmail } = await import('../lib/auth/roles');
const parsedRole = roleSchema.safeParse(role);
if (!email || !parsedRole.success) {
  console.error('Usage: npm run user:role -- <email> <admin|finance|user>');
  process.exit(2);
}
const { db } = await import('../lib/db');
try {
  const result = await setRoleByEmail(email, parsedRole.data);
  if (!result) {
    console.error(`No account with the email ${email}. Sign up first, then run this again.`);
    process.exitCode = 1;
  } else if (!result.changed) {
    console.log(`${email} is already ${result.role}.`);
  } else {
    console.log(`${email}: ${result.from} → ${result.to} (audited).`);
  }
} finally {
  await db.$disconnect();
}
