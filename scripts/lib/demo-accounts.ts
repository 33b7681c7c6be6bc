// The accounts `npm run db:seed` creates for local development and tests.
// Their passwords are public: never seed them into a production database.
export const demoAccounts = {
  admin: { email: 'admin@tollgate.local', password: 'tollgate-admin-demo', name: 'Ada Admin', role: 'admin' },
  finance: {
    email: 'finance@tollgate.local',
    password: 'tollgate-finance-demo',
    name: 'Fin Ance',
    role: 'finance',
  },
  user: { email: 'user@tollgate.local', password: 'tollgate-user-demo', name: 'Uma User', role: 'user' },
} as const;
